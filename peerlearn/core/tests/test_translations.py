"""The French catalogue is complete, compiled, faithful to its placeholders, and really used.

What this enforces, so that English and French stay in step:

* ``locale/fr/LC_MESSAGES/django.po`` has no untranslated, fuzzy or obsolete entry;
* the committed ``django.mo`` holds exactly the messages of the ``.po`` (users install without
  GNU gettext, so a forgotten ``compilemessages`` would silently show English);
* every placeholder (``%(name)s``, ``%s``) and HTML tag of a msgid survives in its msgstr;
* pages rendered for a French reader — by ``Accept-Language`` or after the language switcher —
  are in French: the expected French words are there and no English UI word is left;
* every msgid that ``makemessages`` extracts from the current source is in the committed
  catalogue. A new ``{% translate %}`` or ``gettext`` string without a French translation
  fails here: run ``make messages``, translate the new entries in ``django.po``, and run
  ``make messages`` again to compile.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import polib
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from peerlearn.access.roles import Role
from peerlearn.access.visibility import Visibility
from peerlearn.accounts.services import user_create
from peerlearn.alliances.models import MemberRole
from peerlearn.alliances.services import (
    alliance_create,
    alliance_member_add,
    alliance_organisation_add,
    alliance_priority_add,
)
from peerlearn.core.choices import PartnershipType
from peerlearn.core.models import Country
from peerlearn.core.reference import THEMES
from peerlearn.initiatives.services import initiative_create
from peerlearn.matchmaking.services import (
    matching_run_create,
    matching_run_propose,
    open_call_create,
)
from peerlearn.organisations.models import OrganisationType
from peerlearn.organisations.services import organisation_create
from peerlearn.peers.models import Challenge, Experience
from peerlearn.peers.services import authorisation_request, peer_profile_create, statement_create

PACKAGE_DIR = Path(__file__).resolve().parents[2]
FR_DIR = PACKAGE_DIR / "locale" / "fr" / "LC_MESSAGES"
PO_PATH = FR_DIR / "django.po"
MO_PATH = FR_DIR / "django.mo"

REFRESH = (
    "run `make messages`, translate the new or changed entries in "
    "peerlearn/locale/fr/LC_MESSAGES/django.po, then run `make messages` again to compile"
)


def _key(entry: Any) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def _label(entry: Any) -> str:
    return repr(entry.msgid) + (f" (context {entry.msgctxt!r})" if entry.msgctxt else "")


@pytest.fixture(autouse=True)
def default_language() -> Any:
    """French requests leave French active in the thread; later tests expect the default."""
    yield
    translation.deactivate()


@pytest.fixture(scope="module")
def po() -> polib.POFile:
    return polib.pofile(str(PO_PATH))


# --- the catalogue itself ----------------------------------------------------------------


def test_french_catalogue_is_complete(po: polib.POFile) -> None:
    untranslated = [_label(e) for e in po.untranslated_entries()]
    fuzzy = [_label(e) for e in po.fuzzy_entries()]
    obsolete = [_label(e) for e in po.obsolete_entries()]
    assert not untranslated, f"Untranslated French entries — {REFRESH}: {untranslated}"
    assert not fuzzy, f"Fuzzy French entries: check the translation, remove '#, fuzzy': {fuzzy}"
    assert not obsolete, f"Obsolete entries (#~) left in the catalogue — {REFRESH}: {obsolete}"
    assert not po.metadata_is_fuzzy, "The .po header is marked fuzzy: msgfmt would ignore it."
    assert po.metadata["Language"] == "fr"
    assert po.metadata["Plural-Forms"].replace(" ", "") == "nplurals=2;plural=(n>1);"


def _messages(catalogue: polib.POFile | polib.MOFile) -> dict[tuple[str, str, str], Any]:
    messages: dict[tuple[str, str, str], Any] = {}
    for entry in catalogue:
        if entry.obsolete or "fuzzy" in entry.flags or not entry.msgid:
            continue
        if entry.msgid_plural:
            messages[_key(entry)] = tuple(
                entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)
            )
        elif entry.msgstr:
            messages[_key(entry)] = entry.msgstr
    return messages


def test_committed_mo_matches_the_po(po: polib.POFile, tmp_path: Path) -> None:
    assert MO_PATH.is_file(), f"{MO_PATH} is missing — {REFRESH}"
    # Compile the .po afresh with polib (no GNU gettext needed) and compare both ways.
    fresh = tmp_path / "django.mo"
    po.save_as_mofile(str(fresh))
    expected = _messages(polib.mofile(str(fresh)))
    committed_mo = polib.mofile(str(MO_PATH))
    committed = _messages(committed_mo)
    stale = sorted(k[1] for k in expected.keys() ^ committed.keys())
    assert not stale, f"django.mo is out of date with django.po — {REFRESH}: {stale[:20]}"
    differ = sorted(k[1] for k in expected if expected[k] != committed[k])
    assert not differ, (
        f"django.mo translates these differently from django.po — {REFRESH}: {differ}"
    )
    assert committed_mo.metadata.get("Plural-Forms", "").replace(" ", "") == (
        "nplurals=2;plural=(n>1);"
    ), "django.mo lacks the French plural rule (was the .po header fuzzy?)"


PLACEHOLDER = re.compile(r"%(?:\([A-Za-z_][A-Za-z0-9_]*\))?[#0\- +]*\d*(?:\.\d+)?[sdifr%]")
# HTML elements a message may carry; "<key>" in an API message is prose, not markup.
TAG = re.compile(r"</?(a|abbr|b|br|code|em|i|kbd|p|small|span|strong)\b")


def _placeholders(text: str) -> Counter[str]:
    return Counter(p for p in PLACEHOLDER.findall(text) if p != "%%")


def test_placeholders_and_tags_survive_translation(po: polib.POFile) -> None:
    problems = []
    for entry in po.translated_entries():
        if entry.msgid_plural:
            pairs = [(entry.msgid_plural, s) for s in entry.msgstr_plural.values()]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for source, target in pairs:
            wanted = set(_placeholders(source))
            # Named placeholders may be reordered, never dropped, renamed or invented.
            if wanted != set(_placeholders(target)):
                problems.append(f"{entry.msgid!r}: {sorted(wanted)} became {target!r}")
            if Counter(TAG.findall(source)) != Counter(TAG.findall(target)):
                problems.append(f"{entry.msgid!r}: HTML tags differ in {target!r}")
    assert not problems, "Placeholders or markup lost in translation:\n" + "\n".join(problems)


#: French typography: a space that may break before ":", ";", "?", "!" and "»" and after
#: "«" would leave the mark alone at the start of a line.
BREAKING_SPACE_BY_A_MARK = re.compile(r" [:;?!»]|« ")


def test_french_marks_are_held_by_a_non_breaking_space(po: polib.POFile) -> None:
    problems = [
        f"{entry.msgid!r}: {text!r}"
        for entry in po.translated_entries()
        for text in [entry.msgstr, *entry.msgstr_plural.values()]
        if BREAKING_SPACE_BY_A_MARK.search(text)
    ]
    assert not problems, "Use a non-breaking space (U+00A0):\n" + "\n".join(problems)


def test_every_seeded_theme_has_a_french_name_and_description() -> None:
    with translation.override("fr"):
        missing = [
            text
            for seed in THEMES
            for text in (seed.name, seed.description)
            if translation.gettext(text) == text
        ]
    assert not missing, f"Theme texts without a French translation — {REFRESH}: {missing}"


# --- every marked string of the source is in the catalogue -------------------------------


def _xgettext_missing() -> str | None:
    for tool in ("xgettext", "msguniq", "msgmerge"):
        if shutil.which(tool) is None:
            return tool
    return None


@pytest.mark.skipif(
    _xgettext_missing() is not None,
    reason=(
        f"GNU gettext ({_xgettext_missing()}) is not installed, so makemessages cannot "
        "extract the source's strings: install it (apt-get install gettext) to run this check"
    ),
)
def test_every_string_marked_in_the_source_is_in_the_catalogue(
    po: polib.POFile, tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Extract from a copy of the package into a scratch locale directory, exactly as
    # `make messages` does, so that the committed catalogue is never touched.
    copy = tmp_path / "peerlearn"
    shutil.copytree(
        PACKAGE_DIR,
        copy,
        ignore=shutil.ignore_patterns("locale", "__pycache__", "*.pyc", "*.mo", "static"),
    )
    (copy / "locale").mkdir()
    settings.LOCALE_PATHS = [str(copy / "locale")]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["fr"], verbosity=0, no_obsolete=True, add_location="file")
    extracted = polib.pofile(str(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    committed = {_key(e) for e in po if not e.obsolete}
    missing = sorted(
        f"{e.msgid!r} ({', '.join(sorted({o[0] for o in e.occurrences}))})"
        for e in extracted
        if _key(e) not in committed
    )
    assert not missing, (
        f"{len(missing)} string(s) marked for translation are not in the French catalogue — "
        f"{REFRESH}:\n" + "\n".join(missing)
    )


# --- pages really come out in French -----------------------------------------------------

# Words that are English and never French: any of them in a French page's visible text means
# a string was not marked for translation, or not translated. The data below is French or
# neutral, so every word on the page comes from peerlearn itself.
ENGLISH_WORDS = frozenset(
    re.findall(
        r"\S+",
        """
    the and your you of to with for is are not no my yet none this that what who where here
    there sign join welcome home search filter add edit save delete change back show peer
    peers learning challenge challenges experiences stage stages reform areas working
    languages funders members member organisation's find next previous password forgotten
    new create tokens token skip content language english french profile authorised
    authorisation waiting decision results matches nothing office
        """,
    )
)


class _VisibleText(HTMLParser):
    """The text a reader meets: element text, plus labels carried by attributes. Skips
    scripts, code samples and anything marked as being in another language."""

    SKIP = {"script", "style", "code"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
    ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")

    def __init__(self, page_language: str) -> None:
        super().__init__()
        self.page_language = page_language
        self.stack: list[bool] = []  # for each open element: is its content skipped?
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        skipped = (
            (bool(self.stack) and self.stack[-1])
            or tag in self.SKIP
            or (a.get("lang") not in (None, self.page_language))
        )
        if not skipped:
            self.parts.extend(v for k in self.ATTRIBUTES if (v := a.get(k)))
        if tag not in self.VOID:
            self.stack.append(skipped)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]) and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str, language: str = "fr") -> str:
    parser = _VisibleText(language)
    parser.feed(html)
    return " | ".join(parser.parts)


def english_words_in(text: str) -> set[str]:
    words = set(re.findall(r"[a-z]+(?:'s)?", text.lower()))
    return words & ENGLISH_WORDS


TEST_PASSWORD = "une-longue-phrase-de-passe-42"


def _user(username: str, name: str, role: str = Role.PEER, organisation: Any = None) -> Any:
    return user_create(
        username=username,
        email=f"{username}@exemple.org",
        name=name,
        password=TEST_PASSWORD,
        role=role,
        organisation=organisation,
    )


@pytest.fixture
def monde(db: Any) -> SimpleNamespace:
    """A small world whose own data is in French, so that any English on a page is ours."""
    ke, sn = Country.objects.get(code="KE"), Country.objects.get(code="SN")
    w = SimpleNamespace()
    w.comte = organisation_create(
        name="Comté de Nakuru", type=OrganisationType.LOCAL_GOVERNMENT, country=ke
    )
    w.ministere = organisation_create(
        name="Ministère des Finances du Sénégal", type=OrganisationType.MINISTRY, country=sn
    )
    w.bailleur = organisation_create(
        name="Fonds d'apprentissage", type=OrganisationType.DEVELOPMENT_PARTNER, country=None
    )
    w.amina = peer_profile_create(
        user=_user("amina", "Amina Wanjiru", organisation=w.comte),
        position="Directrice des recettes",
        languages=["fr", "sw"],
        reform_areas=["revenue-pfm"],
        visibility=Visibility.PUBLIC,
    )
    w.moussa = peer_profile_create(
        user=_user("moussa", "Moussa Diop", organisation=w.ministere),
        position="Inspecteur des impôts",
        languages=["fr"],
        reform_areas=["revenue-pfm", "procurement"],
        visibility=Visibility.PUBLIC,
    )
    w.facilitatrice = _user("awa", "Awa Ndiaye", Role.FACILITATOR, w.ministere)
    w.autorite = _user("kamau", "Kamau Otieno", Role.AUTHORISER, w.comte)
    w.financeur = _user("claire", "Claire Martin", Role.FUNDER, w.bailleur)
    w.admin = _user("admin", "Admin", Role.ADMIN)
    w.alliance = alliance_create(
        name="Alliance des recettes des comtés",
        theme="decentralisation",
        purpose="Accroître les recettes propres des comtés.",
        working_languages=["fr"],
        created_by=w.facilitatrice,
        visibility=Visibility.PUBLIC,
        funders=[w.bailleur],
    )
    alliance_organisation_add(alliance=w.alliance, organisation=w.comte)
    alliance_priority_add(alliance=w.alliance, title="Automatiser la collecte")
    alliance_member_add(alliance=w.alliance, user=w.amina.user, role=MemberRole.PEER)
    w.defi = statement_create(
        model=Challenge,
        peer=w.amina,
        theme="revenue-pfm",
        title="Fuites dans la collecte en espèces",
        description="Les marchés paient en espèces.",
        visibility=Visibility.PUBLIC,
        alliance=w.alliance,
    )
    w.experience = statement_create(
        model=Experience,
        peer=w.moussa,
        theme="revenue-pfm",
        title="Paiement mobile des taxes de marché",
        description="Nous avons généralisé le paiement mobile.",
        visibility=Visibility.PUBLIC,
    )
    w.initiative = initiative_create(
        name="Réseau d'apprentissage fiscal",
        type=PartnershipType.TYPE_II,
        summary="Des administrations fiscales apprennent ensemble.",
        lessons="La confiance prend du temps.",
        themes=["revenue-pfm"],
        implementers=[w.ministere],
        funders=[w.bailleur],
        countries=["SN", "KE"],
        started=2016,
        ended=2018,
    )
    authorisation_request(peer=w.amina, authoriser=w.autorite, scope="Participer à l'alliance.")
    w.appel = open_call_create(
        created_by=w.facilitatrice,
        title="Appel sur les recettes locales",
        theme="revenue-pfm",
        description="Pour les administrations fiscales qui veulent apprendre ensemble.",
        visibility=Visibility.PUBLIC,
    )
    return w


@pytest.fixture
def monde_apparie(monde: SimpleNamespace) -> SimpleNamespace:
    """The same world after a facilitator matched it: Amina's challenge meets Moussa's
    experience in one pair, proposed to both."""
    w = monde
    w.appariement = matching_run_propose(
        run=matching_run_create(
            created_by=w.facilitatrice,
            kind="pairs",
            source="theme",
            theme="revenue-pfm",
            alliance_name="Binômes des recettes",
        )
    )
    w.proposition = w.appariement.proposals.get()
    return w


def _pages(w: SimpleNamespace) -> list[tuple[str, Any, str]]:
    """(name, user or None, URL) of the pages every French reader may meet."""
    return [
        ("home, public", None, reverse("home")),
        ("sign in", None, reverse("login")),
        ("sign up", None, reverse("accounts:signup")),
        ("password reset", None, reverse("password_reset")),
        ("peer directory", None, reverse("peers:directory")),
        ("peer profile", None, reverse("peers:profile", args=[w.moussa.id])),
        ("alliance list", None, reverse("alliances:list")),
        ("alliance detail", None, reverse("alliances:detail", args=[w.alliance.slug])),
        ("initiative list", None, reverse("initiatives:list")),
        ("initiative detail", None, reverse("initiatives:detail", args=[w.initiative.slug])),
        ("page not found", None, "/cette-page-n-existe-pas/"),
        ("home, peer", w.amina.user, reverse("home")),
        ("home, facilitator", w.facilitatrice, reverse("home")),
        ("home, authoriser", w.autorite, reverse("home")),
        ("home, funder", w.financeur, reverse("home")),
        ("home, admin", w.admin, reverse("home")),
        ("own profile", w.amina.user, reverse("peers:profile", args=[w.amina.id])),
        ("profile form", w.amina.user, reverse("peers:profile_edit")),
        ("challenge form", w.amina.user, reverse("peers:statement_new", args=["challenges"])),
        ("experience form", w.amina.user, reverse("peers:statement_new", args=["experiences"])),
        ("authorisation request", w.amina.user, reverse("peers:authorisation_new")),
        ("api tokens", w.amina.user, reverse("accounts:tokens")),
        (
            "alliance detail, facilitator",
            w.facilitatrice,
            reverse("alliances:detail", args=[w.alliance.slug]),
        ),
        ("matchings", w.facilitatrice, reverse("matchmaking:index")),
        ("matching form", w.facilitatrice, reverse("matchmaking:run_new")),
        ("open calls", None, reverse("matchmaking:calls")),
        ("open call", w.amina.user, reverse("matchmaking:call", args=[w.appel.id])),
        ("open call form", w.facilitatrice, reverse("matchmaking:call_new")),
        ("excluded pairs", w.facilitatrice, reverse("matchmaking:excluded")),
        ("my proposals", w.amina.user, reverse("matchmaking:proposals")),
    ]


def _french_client(user: Any = None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    if user is not None:
        client.force_login(user)
    return client


def test_every_page_is_in_french_for_a_french_reader(monde_apparie: SimpleNamespace) -> None:
    leftovers = {}
    for name, user, url in _pages(monde_apparie):
        response = _french_client(user).get(url)
        assert response.status_code in (200, 404), f"{name}: {url} answered {response.status_code}"
        html = response.content.decode()
        assert '<html lang="fr">' in html, f"{name}: the page does not declare lang=fr"
        found = english_words_in(visible_text(html))
        if found:
            leftovers[name] = sorted(found)
    assert not leftovers, (
        "English left on French pages (mark the string for translation, or translate it in "
        f"django.po): {leftovers}"
    )


def test_matching_explanations_are_in_french(monde_apparie: SimpleNamespace) -> None:
    """The matcher's reasons, contributions, unmatched reasons and diagnoses are rendered
    through the catalogue: French sentences, names instead of ids, and language, country
    and theme names in French."""
    monde = monde_apparie
    # A second matching that cannot be met: nobody in the pool is senior.
    bloque = matching_run_create(
        created_by=monde.facilitatrice,
        kind="groups",
        source="theme",
        theme="revenue-pfm",
        rules={"min_size": 2, "max_size": 2, "min_senior": 1},
        alliance_name="Groupes des recettes",
    )
    assert bloque.diagnostics and bloque.unmatched
    run_url = reverse("matchmaking:run", args=[monde.appariement.id])
    proposal_url = reverse("matchmaking:proposal", args=[monde.proposition.id])
    expected = {
        run_url: [
            # summary and reasons
            "Moussa Diop peut aider Amina Wanjiru",
            "langue de travail commune\u00a0: français",
            "Kenya ↔ Sénégal",
            "thème commun\u00a0: Recettes et gestion des finances publiques",
            "répond au défi d’Amina Wanjiru",
            # contributions
            "le contexte de sa réforme et ses questions",
            "apprend de Moussa Diop",
            "un éclairage sur le contexte d’Amina Wanjiru",
        ],
        proposal_url: [
            "Pourquoi ces pairs",
            "Moussa Diop peut aider Amina Wanjiru",
            "langue de travail commune\u00a0: français",
            "apprend de Moussa Diop",
        ],
        reverse("matchmaking:run", args=[bloque.id]): [
            "Ce qui a fait obstacle",
            "Pairs de rang supérieur | : 0 pair de rang supérieur avec la langue de travail "
            "«\u00a0français\u00a0»",
            "il en faut 1 pour 1 groupe",
            "Non appariés",
            "aucun groupe de pairs avec la langue de travail «\u00a0français\u00a0» ne peut "
            "respecter la règle\u00a0: pairs de rang supérieur",
        ],
    }
    for url, french in expected.items():
        user = monde.amina.user if url == proposal_url else monde.facilitatrice
        text = visible_text(_french_client(user).get(url).content.decode())
        for sentence in french:
            assert sentence in text, f"{url}: {sentence!r} not in {text}"
        assert not english_words_in(text), f"{url}: {sorted(english_words_in(text))}"
        assert "peer#" not in text


@pytest.mark.parametrize(
    ("page", "french", "english"),
    [
        (
            "home, public",
            ["Apprenez de pairs", "S’inscrire comme pair", "Initiatives du registre"],
            ["Join as a peer", "Sign in", "Learn from peers"],
        ),
        (
            "sign in",
            ["Se connecter", "Mot de passe oublié", "Nom d’utilisateur"],
            ["Sign in", "Forgotten your password", "Username"],
        ),
        (
            "peer directory",
            ["Étape de la réforme", "Domaines de réforme", "2 pairs", "Filtrer"],
            ["Reform stage", "Reform areas", "2 peers", "Filter"],
        ),
        (
            "alliance list",
            ["Alliances d’apprentissage", "1 alliance", "1 organisation · 2 membres"],
            ["Learning alliances", "Pre-assessment", "2 members", "No alliance matches"],
        ),
        (
            "alliance detail",
            ["Langues de travail", "Domaines de réforme prioritaires", "Pair apprenant"],
            ["Working languages", "Priority reform areas", "Peer learner"],
        ),
        (
            "initiative detail",
            ["Mise en œuvre par", "Enseignements", "Recettes et gestion des finances publiques"],
            ["Implemented by", "Lessons", "Revenue and public financial management"],
        ),
    ],
)
def test_key_pages_show_french_words_not_english_ones(
    monde: SimpleNamespace, page: str, french: list[str], english: list[str]
) -> None:
    url = {name: url for name, _, url in _pages(monde)}[page]
    text = visible_text(_french_client().get(url).content.decode())
    for expected in french:
        assert expected in text, f"{page}: {expected!r} missing from the French page"
    for leftover in english:
        assert leftover not in text, f"{page}: English {leftover!r} left on the French page"


def test_language_switcher_sets_french_for_the_following_pages(monde: SimpleNamespace) -> None:
    client = Client()  # no Accept-Language: the default is English
    assert "Learning alliances" in client.get(reverse("alliances:list")).content.decode()
    response = client.post(
        reverse("set_language"), {"language": "fr", "next": reverse("alliances:list")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("alliances:list")
    html = client.get(response["Location"]).content.decode()
    assert '<html lang="fr">' in html
    assert "Alliances d’apprentissage" in html and "Learning alliances" not in html
    # The choice sticks: the next page is in French too, and can be switched back.
    assert "Pairs" in visible_text(client.get(reverse("peers:directory")).content.decode())
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Learning alliances" in client.get(reverse("alliances:list")).content.decode()


def test_switcher_is_a_labelled_form_that_works_without_javascript(db: Any) -> None:
    html = _french_client().get(reverse("home")).content.decode()
    form = re.search(r'<form[^>]*action="/i18n/setlang/"[^>]*>(.*?)</form>', html, re.S)
    assert form, "no language form posting to set_language"
    inner = form.group(1)
    assert 'name="csrfmiddlewaretoken"' in inner
    assert re.search(r'<label for="language-switch"[^>]*>Langue</label>', inner)
    assert re.search(r'<select name="language" id="language-switch"', inner)
    assert '<option value="fr" lang="fr" selected>' in inner
    assert '<button type="submit">' in inner


def test_form_errors_are_in_french(monde: SimpleNamespace) -> None:
    client = _french_client()
    html = client.post(
        reverse("accounts:signup"),
        {
            "name": "Fatou Sow",
            "username": "fatou sow",
            "email": "pas-une-adresse",
            "password": "une-longue-phrase-de-passe-42",
            "password_again": "une-autre-phrase-de-passe-43",
        },
    ).content.decode()
    text = visible_text(html)
    assert "Les deux mots de passe diffèrent" in text
    assert "Saisissez une adresse électronique comme nom@example.org." in text  # says how to fix it
    assert not english_words_in(text), english_words_in(text)

    client.force_login(monde.amina.user)
    text = visible_text(
        client.post(
            reverse("peers:statement_new", args=["challenges"]), {"title": ""}
        ).content.decode()
    )
    assert "Remplissez ce champ\u00a0: il est obligatoire." in text  # Django's message replaced
    assert not english_words_in(text), english_words_in(text)


def test_messages_and_access_errors_are_in_french(monde: SimpleNamespace) -> None:
    client = _french_client(monde.amina.user)
    delete = reverse("peers:statement_delete", args=["challenges", monde.defi.id])
    # Deleting asks first, in French, naming the challenge.
    asked = visible_text(client.get(delete).content.decode())
    assert monde.defi.title in asked and "Supprimer" in asked and "Annuler" in asked
    response = client.post(delete, {"confirm": "1"}, follow=True)
    # The message names what was deleted, in French.
    assert f"Défi «\u00a0{monde.defi.title}\u00a0» supprimé." in visible_text(
        response.content.decode()
    )
    assert not type(monde.defi).objects.filter(id=monde.defi.id).exists()
    # Someone else's challenge: the access layer's message is shown in French.
    other = _french_client(monde.moussa.user).get(
        reverse("peers:statement_edit", args=["experiences", monde.experience.id])
    )
    assert other.status_code == 200
    denied = client.get(reverse("peers:statement_edit", args=["experiences", monde.experience.id]))
    assert denied.status_code == 403
    assert "Seul son auteur peut le modifier." in visible_text(denied.content.decode())


def test_api_errors_follow_accept_language(db: Any) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="fr").get("/api/v1/peers")
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Authentification requise")


def test_short_dates_name_the_month_in_english_and_keep_day_first_in_french() -> None:
    """11/04/2026 would be the fourth of November to some readers and the eleventh of
    April to others."""
    from datetime import date, datetime

    from django.utils import translation
    from django.utils.formats import date_format

    with translation.override("en"):
        assert date_format(date(2026, 11, 4), "SHORT_DATE_FORMAT") == "Nov 4, 2026"
        at = datetime(2026, 11, 4, 7, 25)
        assert date_format(at, "SHORT_DATETIME_FORMAT") == "Nov 4, 2026, 7:25 a.m."
        # The long forms keep the same order and spell the month out, for every month
        # (Django's default abbreviates some with a full stop: "Dec. 4" beside "Dec 4").
        assert date_format(date(2026, 12, 4)) == "December 4, 2026"
        at = datetime(2026, 12, 4, 9)
        assert date_format(at, "DATETIME_FORMAT") == "December 4, 2026, 9 a.m."
    with translation.override("fr"):
        assert date_format(date(2026, 11, 4), "SHORT_DATE_FORMAT") == "04/11/2026"
        assert date_format(date(2026, 12, 4)) == "4 décembre 2026"
