"""The search box: by words and by meaning, never beyond what the searcher may see."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from peerlearn.access.visibility import Visibility
from peerlearn.matching import minilm, multilingual
from peerlearn.peers.models import Challenge
from peerlearn.peers.services import statement_create
from peerlearn.search.selectors import search, search_words

API = "/api/v1/search"
needs_model = pytest.mark.skipif(
    not minilm.available(), reason="the sentence model is not installed (make embeddings)"
)


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def planted(world: SimpleNamespace) -> SimpleNamespace:
    """A challenge with the word 'quokkaword' at each visibility, by an alliance member
    whose profile is public (so that the statements' own levels decide)."""
    world.member_platform.visibility = Visibility.PUBLIC
    world.member_platform.save()
    world.by_level = {}
    for level in (Visibility.PRIVATE, Visibility.ALLIANCE, Visibility.PLATFORM, Visibility.PUBLIC):
        world.by_level[level] = statement_create(
            model=Challenge,
            peer=world.member_platform,
            theme="decentralisation",
            title=f"Quokkaword {level} title",
            description="Counting market stalls that never pay.",
            visibility=level,
            alliance=world.inner if level == Visibility.ALLIANCE else None,
        )
    return world


def titles(hits: dict[str, list[Any]]) -> set[str]:
    return {h.title for found in hits.values() for h in found}


@pytest.mark.django_db
def test_words_find_only_what_the_searcher_may_see(planted: SimpleNamespace) -> None:
    w = planted
    expected = {
        None: {"Quokkaword public title"},
        w.outsider.user: {"Quokkaword public title", "Quokkaword platform title"},
        w.member_alliance.user: {
            "Quokkaword public title",
            "Quokkaword platform title",
            "Quokkaword alliance title",
        },
        w.member_platform.user: {
            "Quokkaword public title",
            "Quokkaword platform title",
            "Quokkaword alliance title",
            "Quokkaword private title",
        },
    }
    from django.contrib.auth.models import AnonymousUser

    for user, seen in expected.items():
        viewer = user or AnonymousUser()
        assert titles(search_words(user=viewer, query="quokkaword")) == seen, user
        # The page and the API say the same.
        html = client_for(user).get(reverse("search:search"), {"q": "quokkaword"}).content.decode()
        assert set(re.findall(r">(Quokkaword \w+ title)<", html)) == seen, user
        if user is not None:
            api = client_for(user).get(API, {"q": "quokkaword", "meaning": "false"}).json()
            assert {h["title"] for h in api["words"]} == seen, user


@pytest.mark.django_db
def test_every_word_must_match_and_titles_rank_first(planted: SimpleNamespace) -> None:
    w = planted
    statement_create(
        model=Challenge,
        peer=w.outsider_public,
        theme="decentralisation",
        title="Market stalls",
        description="Quokkaword appears only here, in the text.",
        visibility=Visibility.PUBLIC,
    )
    hits = search_words(user=w.outsider.user, query="quokkaword market")["challenge"]
    assert hits[0].title == "Market stalls"  # 'market' in its title
    assert len(hits) == 3  # the public and platform plants (stalls), and this one
    assert search_words(user=w.outsider.user, query="quokkaword zebra") == {}


@pytest.mark.django_db
def test_alliances_initiatives_and_peers_are_found(world: SimpleNamespace) -> None:
    from peerlearn.initiatives.services import initiative_create

    initiative_create(
        name="Climate Finance Integrity Learning Alliance",
        type="II",
        summary="Institutions seeking accreditation with the Green Climate Fund.",
        themes=["climate-finance"],
        implementers=[world.ngo],
    )
    found = search_words(user=world.outsider.user, query="green climate accreditation")
    assert [h.title for h in found["initiative"]] == ["Climate Finance Integrity Learning Alliance"]
    found = search_words(user=world.outsider.user, query="own-source revenue")
    # The public and platform alliances' purpose; not the alliance-level or private ones.
    assert {h.title for h in found["alliance"]} == {"Open Alliance", "Platform Alliance"}
    member = world.member_alliance.user
    found = search_words(user=member, query="own-source revenue")
    assert "County Revenue Alliance" in {h.title for h in found["alliance"]}
    assert search_words(user=world.outsider.user, query="Outsider Public")["peer"]


@pytest.mark.django_db
def test_the_page_works_without_a_query_and_with_htmx(world: SimpleNamespace) -> None:
    client = Client()
    assert client.get(reverse("search:search")).status_code == 200
    fragment = client.get(reverse("search:search"), {"q": "zzzz"}, headers={"HX-Request": "true"})
    body = fragment.content.decode()
    assert body.lstrip().startswith('<section id="results"')
    assert "Nothing found for “zzzz”" in body
    # The header's box on every page leads here.
    assert 'action="/search/"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_api_checks_its_input(world: SimpleNamespace) -> None:
    client = client_for(world.outsider.user)
    assert client.get(API).status_code == 422
    assert client.get(API, {"q": "x" * 201}).status_code == 422
    assert client.get(API, {"q": "tax", "kind": "DROP TABLE"}).status_code == 422
    assert Client().get(API, {"q": "tax"}).status_code == 401


@needs_model
@pytest.mark.django_db
def test_meaning_finds_a_text_without_shared_words_and_respects_visibility(
    world: SimpleNamespace,
) -> None:
    text = (
        "We replaced daily bus-park tickets for matatus with a seasonal ticket that each "
        "operator buys for all its vehicles. Parking revenue rose straight away."
    )
    for level, peer in (
        (Visibility.PLATFORM, world.member_platform),
        (Visibility.PRIVATE, world.outsider),
    ):
        statement_create(
            model=Challenge,
            peer=peer,
            theme="decentralisation",
            title=f"A seasonal ticket ({level})",
            description=text,
            visibility=level,
        )
    query = "who moved minibus owners from paying every morning to one pass a season"
    # No word in common but "a".
    assert set(query.lower().split()) & set(re.findall(r"\w+", text.lower())) <= {"a"}
    # More texts than a request encodes are new: the worker reads them (here at once), and
    # the next search finds them.
    assert search(user=world.member_alliance.user, query=query).meaning_pending > 0
    result = search(user=world.member_alliance.user, query=query)
    assert result.words == {} and result.meaning_pending == 0
    found = [h.title for h in result.meaning]
    # (The world's "Cash collection leaks revenue." is close in meaning too.)
    assert "A seasonal ticket (platform)" in found[:3]
    assert "A seasonal ticket (private)" not in found
    assert result.encoder == minilm.MODEL_NAME
    # The author of the private one finds it.
    mine = search(user=world.outsider.user, query=query)
    assert "A seasonal ticket (private)" in {h.title for h in mine.meaning}


SPANISH = [
    (
        "Tasas de mercado",
        "Los comerciantes se niegan a pagar la tasa diaria del mercado municipal.",
    ),
    (
        "Registro de tierras",
        "Digitalizamos el catastro y los litigios por linderos bajaron a la mitad.",
    ),
    (
        "Docentes fantasma",
        "La nómina del ministerio paga a maestros que nunca se presentan al aula.",
    ),
    (
        "Compras públicas",
        "Las licitaciones se adjudican siempre a las mismas tres empresas del distrito.",
    ),
    (
        "Quejas ciudadanas",
        "Nadie responde a las quejas que los vecinos dejan en la ventanilla única.",
    ),
    ("Presupuesto abierto", "Publicamos el presupuesto del condado, pero casi nadie sabe leerlo."),
]


@pytest.mark.skipif(not multilingual.available(), reason="the multilingual model is not installed")
@pytest.mark.django_db
def test_on_a_platform_written_in_spanish_meaning_reads_spanish(
    world: SimpleNamespace, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from peerlearn.matchmaking import embeddings

    settings.PEERLEARN_MATCHING_ENCODER = "auto"
    monkeypatch.setattr(embeddings, "_mix_read", [])  # this process reads the mix anew
    assert search(user=world.member_alliance.user, query="fees").encoder == minilm.MODEL_NAME
    for title, description in SPANISH:
        statement_create(
            model=Challenge,
            peer=world.member_platform,
            theme="decentralisation",
            title=title,
            description=description,
            visibility=Visibility.PLATFORM,
        )
    monkeypatch.setattr(embeddings, "_mix_read", [])
    # No word in common with the ghost teachers' challenge; all-MiniLM-L6-v2, which reads
    # Spanish as unknown word pieces, ranks the public procurement one first.
    query = "sueldos de empleados inexistentes en educación"
    search(user=world.member_alliance.user, query=query)  # the worker reads the new texts
    result = search(user=world.member_alliance.user, query=query)
    assert result.encoder == multilingual.E5_NAME
    assert [h.title for h in result.meaning][:1] == ["Docentes fantasma"]


@pytest.mark.django_db
def test_insights_are_found_only_by_those_who_may_read_them(world: SimpleNamespace) -> None:
    from peerlearn.evidence.models import Insight

    Insight.objects.create(
        alliance=world.inner,
        title="Wombatword inside the alliance",
        text="What the county treasuries learned.",
        visibility=Visibility.ALLIANCE,
    )
    Insight.objects.create(
        title="Wombatword for everyone", text="Shared widely.", visibility=Visibility.PUBLIC
    )
    member = world.member_alliance.user
    assert {h.title for h in search_words(user=member, query="wombatword")["insight"]} == {
        "Wombatword inside the alliance",
        "Wombatword for everyone",
    }
    outsider = search_words(user=world.outsider.user, query="wombatword")
    assert {h.title for h in outsider["insight"]} == {"Wombatword for everyone"}
    page = client_for(world.outsider.user).get("/search/", {"q": "wombatword"})
    assert "Wombatword for everyone" in page.content.decode()
    assert "inside the alliance" not in page.content.decode()


@pytest.mark.django_db
def test_texts_left_to_the_worker_queue_in_batches_behind_any_matching_run(
    settings: Any,
) -> None:
    """A bulk import's encoding never holds a matching run back for more than one batch:
    the batches are tasks of their own, below a run's priority."""
    from django.core.cache import cache
    from django_tasks_db.models import DBTaskResult

    from peerlearn.matchmaking.embeddings import ENCODE_BATCH
    from peerlearn.matchmaking.tasks import run_matching
    from peerlearn.search.tasks import encode_later, encode_texts

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    cache.clear()
    texts = [f"Statement number {i} about market fees." for i in range(2 * ENCODE_BATCH + 5)]
    encode_later(texts)
    encode_later(["Asked again meanwhile."])  # one lot at a time: left to the next
    queued = list(DBTaskResult.objects.filter(task_path__endswith="encode_texts"))
    assert [len(q.args_kwargs["args"][0]) for q in queued] == [ENCODE_BATCH, ENCODE_BATCH, 5]
    assert [q.args_kwargs["args"][1] for q in queued] == [False, False, True]
    assert {q.priority for q in queued} == {encode_texts.priority}
    assert run_matching.priority > encode_texts.priority
    # Only the last batch lets others queue again.
    encode_texts.call(*queued[0].args_kwargs["args"])
    assert not cache.add("search:encoding", True)
    encode_texts.call(*queued[-1].args_kwargs["args"])
    assert cache.add("search:encoding", True)


@pytest.mark.django_db
def test_a_peer_is_found_by_their_organisations_name_or_acronym(world: SimpleNamespace) -> None:
    """ "County Government of Makueni" found none of its peers: only a peer's position and
    bio were searched."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from peerlearn.conftest import make_peer
    from peerlearn.core.models import Country
    from peerlearn.organisations.models import OrganisationType
    from peerlearn.organisations.services import organisation_create

    makueni = organisation_create(
        name="County Government of Makueni",
        acronym="CGMKN",
        type=OrganisationType.LOCAL_GOVERNMENT,
        country=Country.objects.get(code="KE"),
    )
    make_peer("makueni_officer", makueni, visibility=Visibility.PUBLIC)
    make_peer("makueni_private", makueni, visibility=Visibility.PRIVATE)
    viewer = world.outsider.user
    for query in ("County Government of Makueni", "Makueni", "cgmkn"):
        found = search_words(user=viewer, query=query, kinds={"peer"})
        assert [h.title for h in found["peer"]] == ["Makueni Officer"], query
    found = search_words(user=viewer, query="Makueni", kinds={"peer"})["peer"][0]
    assert "County Government of Makueni" in found.snippet
    # The page, searching peers only, and the API say the same; a private profile stays hidden.
    page = client_for(viewer).get(reverse("search:search"), {"q": "Makueni", "kind": "peer"})
    assert "Makueni Officer" in page.content.decode()
    assert "Makueni Private" not in page.content.decode()
    api = client_for(viewer).get(API, {"q": "Makueni", "kind": "peer", "meaning": "false"})
    assert [h["title"] for h in api.json()["words"]] == ["Makueni Officer"]
    # A peer without an organisation is still found by the rest of their profile.
    world.outsider_public.user.organisation = None
    world.outsider_public.user.save()
    assert search_words(user=viewer, query="Outsider Public", kinds={"peer"})["peer"]
    # Reading the organisation costs no query per peer.
    with CaptureQueriesContext(connection) as one:
        search_words(user=viewer, query="Makueni", kinds={"peer"})
    make_peer("makueni_second", makueni, visibility=Visibility.PUBLIC)
    make_peer("makueni_third", makueni, visibility=Visibility.PUBLIC)
    with CaptureQueriesContext(connection) as three:
        hits = search_words(user=viewer, query="Makueni", kinds={"peer"})["peer"]
    assert len(hits) == 3 and len(three) == len(one)


def test_snippets_are_cut_between_words() -> None:
    """A snippet starts and ends on a word, never inside a name ("… ende Kioko")."""
    import doctest

    from peerlearn.search import selectors

    assert doctest.testmod(selectors).failed == 0
    text = "Agnes Ndinda Wambua. Head of Revenue Enforcement, County Government of Makueni."
    for width in range(20, 70, 7):
        piece = selectors._snippet(text, ["makueni"], width).strip("… ")
        first, last = piece.split()[0], piece.split()[-1]
        assert first in text.split() and last in text.split(), (width, piece)
