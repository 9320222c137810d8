"""The matcher's explanations, unmatched reasons and diagnoses in the reader's language.

``peerlearn.matching`` writes every sentence as a structured message — a code, an English
template and parameters (:mod:`peerlearn.matching.messages`). A run stores them as
``{"code", "params", "text"}`` with peer tokens turned into profile ids (:func:`stored`), and
this module renders them for each reader (:func:`render`): the code picks a translated
template below, peer ids become the names the reader may see (or "another member"), language
and country codes their names in the reader's language, list parameters a list in the
locale's style, rule fields their labels. A code this module does not know, and runs stored
before messages were structured (plain text), show the stored English text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from babel.lists import format_list
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext, ngettext_lazy, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from peerlearn.core.geography import country_name, current_locale, language_name
from peerlearn.core.models import Theme
from peerlearn.matching.messages import PARAM_KINDS, Message
from peerlearn.matching.rules import RULES
from peerlearn.organisations.models import Organisation
from peerlearn.peers.models import ReformStage

# --- peer tokens -------------------------------------------------------------------------

#: How a platform peer is named inside the matcher. The prefix makes the ids recognisable in
#: the library's texts, so they can be replaced by names each viewer may see.
TOKEN = "peer#"  # noqa: S105 - a prefix, not a secret
_TOKEN_RE = re.compile(r"peer#(\d+)")


def peer_token(profile_id: int) -> str:
    return f"{TOKEN}{profile_id}"


def token_peer_id(token: str) -> int | None:
    match = _TOKEN_RE.fullmatch(token)
    return int(match.group(1)) if match else None


def replace_tokens(text: str, names: Mapping[int, str]) -> str:
    """The library's texts name peers by token; show the name only where it may be seen."""

    def name(match: re.Match[str]) -> str:
        return names.get(int(match.group(1))) or gettext("another member")

    return _TOKEN_RE.sub(name, text)


# --- the platform's own reasons ---------------------------------------------------------

#: A pairs pool leaves out peers who state nothing the facilitator can see.
NO_STATEMENTS = Message(
    "matchmaking.no_statements", "states no challenge or experience the facilitator can see"
)

# --- templates ---------------------------------------------------------------------------

#: Fragments other templates use where a second number needs its own plural.
COUNTED: Mapping[str, tuple[str, Promise]] = {
    "groups_counted": ("groups", ngettext_lazy("%(groups)s group", "%(groups)s groups", "groups")),
}

#: Each code of the matcher (and of this app) and its translated template.
TEMPLATES: Mapping[str, Promise] = {
    # Why a group, pair or team was formed.
    "reason.shared_language": _("shared working language: %(languages)s"),
    "reason.no_shared_language": _("no single language shared by every member"),
    "reason.same_stage": _("all at the same reform stage: %(stage)s"),
    "reason.stage_range": _("reform stages from %(low)s to %(high)s"),
    "reason.countries": ngettext_lazy(
        "%(count)s country: %(countries)s", "%(count)s countries: %(countries)s", "count"
    ),
    "reason.organisations": ngettext_lazy(
        "%(count)s organisation", "%(count)s organisations", "count"
    ),
    "reason.seniors": ngettext_lazy("%(count)s senior peer", "%(count)s senior peers", "count"),
    "reason.common_theme": _("common theme: %(theme)s"),
    "reason.both_at_stage": _("both at the same reform stage: %(stage)s"),
    "reason.further_along": _(
        "%(provider)s is further along the reform cycle (%(provider_stage)s, against "
        "%(seeker_stage)s)"
    ),
    "reason.countries_pair": pgettext_lazy(
        "a pair's two countries", "%(seeker_country)s ↔ %(provider_country)s"
    ),
    "reason.same_country": _("both in %(country)s"),
    "reason.experience_answers": _(
        "%(provider)s's experience (“%(experience)s”) answers %(seeker)s's challenge "
        "(“%(challenge)s”)"
    ),
    # Summaries.
    "summary.group": ngettext_lazy(
        "%(count)s peer; %(reasons)s", "%(count)s peers; %(reasons)s", "count"
    ),
    "summary.group_common_ground": ngettext_lazy(
        "%(count)s peer; %(reasons)s; common ground: %(concepts)s",
        "%(count)s peers; %(reasons)s; common ground: %(concepts)s",
        "count",
    ),
    "summary.pair": _("%(provider)s can help %(seeker)s"),
    "summary.pair_on": _("%(provider)s can help %(seeker)s on %(concepts)s"),
    "summary.team": ngettext_lazy(
        "team of %(size)s around “%(problem)s” drawing on %(organisations)s organisation",
        "team of %(size)s around “%(problem)s” drawing on %(organisations)s organisations",
        "organisations",
    ),
    "summary.weights": ngettext_lazy(
        "%(size)s member; within-group weight %(weight)s over ordered pairs "
        "(mean %(mean)s per pair)",
        "%(size)s members; within-group weight %(weight)s over ordered pairs "
        "(mean %(mean)s per pair)",
        "size",
    ),
    # What each member brings and seeks.
    "brings.answers_on": _("experience that answers %(peer)s's challenge (%(concepts)s)"),
    "brings.answers_quote": _("experience that answers %(peer)s's challenge (“%(challenge)s”)"),
    "brings.perspective": _("perspective from their own reform"),
    "brings.own_context": _("their own reform context and questions"),
    "brings.experience": _("experience: %(experience)s"),
    "brings.team": _("experience: %(experience)s (relevance %(relevance)s)"),
    "brings.team_mentions": _(
        "experience: %(experience)s (relevance %(relevance)s; mentions %(terms)s)"
    ),
    "seeks.learns_on": _("learns from %(peer)s on %(concepts)s"),
    "seeks.learns_quote": _("learns from %(peer)s on “%(challenge)s”"),
    "seeks.no_challenge": _("no challenge stated"),
    "seeks.learns_from": _("learns from %(peer)s"),
    "seeks.insight": _("insight from %(peer)s's context"),
    "seeks.works_on": _("works on: %(challenge)s"),
    # Which peers a reason is about ("peers with ...", "peers share ...").
    "where.language": _("working language %(language)s"),
    "where.stage": _("reform stage %(stage)s"),
    "where.language_stage": _("working language %(language)s and reform stage %(stage)s"),
    "where.pool": pgettext_lazy("which peers: all of them", "the whole pool"),
    # Why a peer was not matched.
    "unmatched.pinned_other_stage": _(
        "kept with peers at another reform stage, while each group must share one stage"
    ),
    "unmatched.no_language": _("states no working language"),
    "unmatched.pinned_no_language": _("kept with peers who share no language"),
    "unmatched.pinned_too_large": ngettext_lazy(
        "kept with %(count)s peer, more than a group may hold",
        "kept with %(count)s peers, more than a group may hold",
        "count",
    ),
    "unmatched.too_few": ngettext_lazy(
        "only %(count)s peer shares %(where)s; a group needs at least %(min_size)s",
        "only %(count)s peers share %(where)s; a group needs at least %(min_size)s",
        "count",
    ),
    "unmatched.no_group": _("no group of peers with %(where)s can meet the rule: %(rule)s"),
    "unmatched.organisation_surplus": ngettext_lazy(
        "more peers from “%(organisation)s” than %(max_per_org)s per group allows in "
        "%(groups)s group with %(where)s",
        "more peers from “%(organisation)s” than %(max_per_org)s per group allows in "
        "%(groups)s groups with %(where)s",
        "groups",
    ),
    "unmatched.groups_limited": ngettext_lazy(
        "%(why)s: only %(groups)s group can be formed, taking %(taken)s",
        "%(why)s: only %(groups)s groups can be formed, taking %(taken)s",
        "groups",
    ),
    "unmatched.groups_full": ngettext_lazy(
        "%(groups)s group of at most %(max_size)s takes %(taken)s of the peers with %(where)s",
        "%(groups)s groups of at most %(max_size)s take %(taken)s of the peers with %(where)s",
        "groups",
    ),
    "unmatched.left_out": _("left out so that the groups with %(where)s meet the rules"),
    "unmatched.left_out_rules": _("left out so that the groups meet the rules"),
    "unmatched.left_out_for_others": _("left out so that the others can meet the rules: %(why)s"),
    "unmatched.no_valid_group": _("no valid group includes this peer"),
    "unmatched.rule_kept_breaking": _("no valid group with %(where)s found (rule: %(rule)s)"),
    "unmatched.providers_at_capacity": ngettext_lazy(
        "every provider who could help is at capacity (%(capacity)s seeker each)",
        "every provider who could help is at capacity (%(capacity)s seekers each)",
        "capacity",
    ),
    "unmatched.no_providers": _("there are no providers in the pool"),
    "unmatched.no_provider_language": _("no provider speaks a language this peer speaks"),
    "unmatched.providers_ruled_out": _(
        "every provider is ruled out (language, same organisation or an excluded pair)"
    ),
    "unmatched.provider_not_needed": _(
        "no seeker needed this provider's experience more than another provider's"
    ),
    "unmatched.no_team": _("no team meets every rule"),
    "matchmaking.no_statements": _("states no challenge or experience the facilitator can see"),
    # What stood in the way.
    "diagnosis.pinned_stages": _("peers kept together are at different reform stages"),
    "diagnosis.pinned_too_large": ngettext_lazy(
        "%(count)s peer must be kept together", "%(count)s peers must be kept together", "count"
    ),
    "diagnosis.too_few": ngettext_lazy(
        "%(count)s peer with %(where)s cannot form a group",
        "%(count)s peers with %(where)s cannot form a group",
        "count",
    ),
    "diagnosis.sizes": ngettext_lazy(
        "%(count)s peer with %(where)s cannot be split into groups of %(min_size)s–%(max_size)s",
        "%(count)s peers with %(where)s cannot be split into groups of %(min_size)s–%(max_size)s",
        "count",
    ),
    "diagnosis.sizes_exact": ngettext_lazy(
        "%(count)s peer with %(where)s cannot be split into groups of %(size)s",
        "%(count)s peers with %(where)s cannot be split into groups of %(size)s",
        "count",
    ),
    "diagnosis.seniors": ngettext_lazy(
        "%(seniors)s senior peer with %(where)s; %(needed)s needed for %(groups_counted)s",
        "%(seniors)s senior peers with %(where)s; %(needed)s needed for %(groups_counted)s",
        "seniors",
    ),
    "diagnosis.organisation_cap": ngettext_lazy(
        "%(count)s peer from “%(organisation)s” with %(where)s; at most %(most)s fit in "
        "%(groups_counted)s",
        "%(count)s peers from “%(organisation)s” with %(where)s; at most %(most)s fit in "
        "%(groups_counted)s",
        "count",
    ),
    "diagnosis.organisations": ngettext_lazy(
        "peers with %(where)s come from %(organisations)s organisation, too few for groups "
        "of %(min_size)s with at most %(max_per_org)s from each",
        "peers with %(where)s come from %(organisations)s organisations, too few for groups "
        "of %(min_size)s with at most %(max_per_org)s from each",
        "organisations",
    ),
    "diagnosis.countries": ngettext_lazy(
        "peers with %(where)s come from %(count)s country, too few for %(min_countries)s in "
        "each of %(groups_counted)s",
        "peers with %(where)s come from %(count)s countries, too few for %(min_countries)s in "
        "each of %(groups_counted)s",
        "count",
    ),
    "diagnosis.cannot_group": _("peers with %(where)s cannot all be grouped"),
    "diagnosis.rule_kept_breaking": _(
        "some peers with %(where)s could not be placed without breaking the rule: %(rule)s"
    ),
    "diagnosis.pinned_pair": _(
        "the pair %(seeker)s – %(provider)s cannot be kept: roles or capacity do not allow it"
    ),
    "diagnosis.provider_capacity": ngettext_lazy(
        "%(count)s seeker could be paired with more provider capacity",
        "%(count)s seekers could be paired with more provider capacity",
        "count",
    ),
    "diagnosis.team_relaxation": _(
        "no team of %(size)s meets every rule; relaxing this rule works: %(rule)s"
    ),
    "diagnosis.no_team": _("no team can be formed from this pool"),
}

#: The rules a diagnosis or reason names, by the short names the rules table gives them.
RULE_LABELS: Mapping[str, Promise] = {r.name: _(r.short) for r in RULES}

_CLAUSES = pgettext_lazy("separator between the clauses of a summary", "; ")
_DECIMALS = {"relevance": 2}


def rule_label(name: str) -> str:
    """A rule field's label in the reader's language; the field name when unknown."""
    label = RULE_LABELS.get(name)
    return str(label) if label is not None else name


# --- storing -----------------------------------------------------------------------------


def stored(message: Message) -> dict[str, Any]:
    """A message as a run stores it: ``{"code", "params", "text"}``, with every peer
    parameter a profile id rather than the matcher's token."""
    data = message.to_json()
    _tokens_to_ids(data)
    return data


def _tokens_to_ids(data: dict[str, Any]) -> None:
    params = data.get("params") or {}
    for name, value in params.items():
        if PARAM_KINDS.get(name) == "peer" and isinstance(value, str):
            pid = token_peer_id(value)
            if pid is not None:
                params[name] = pid
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                _tokens_to_ids(item)


# --- rendering ---------------------------------------------------------------------------


@dataclass
class Renderer:
    """Renders the stored messages of one page for one reader: peers are named only if
    ``names`` holds them. Theme and organisation names are looked up once per page."""

    names: Mapping[int, str]
    themes: dict[str, str] | None = None
    organisations: dict[str, str] = field(default_factory=dict)

    def __call__(self, value: Any) -> str:
        """A stored message (or, for older runs, a stored text) in the reader's language."""
        return _render(value, self)


def render(value: Any, names: Mapping[int, str]) -> str:
    """One stored message in the reader's language (see :class:`Renderer`)."""
    return Renderer(names)(value)


def quotes_statements(value: Any) -> bool:
    """Whether a stored message quotes what a peer wrote (or the problem text)."""
    if isinstance(value, str):
        return "“" in value or '"' in value
    if not isinstance(value, dict):
        return False
    for name, param in (value.get("params") or {}).items():
        if PARAM_KINDS.get(name) == "quote":
            return True
        for item in param if isinstance(param, list) else [param]:
            if isinstance(item, dict) and quotes_statements(item):
                return True
    return False


def _render(value: Any, ctx: Renderer) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return replace_tokens(value, ctx.names)
    if not isinstance(value, dict):
        return str(value)
    fallback = replace_tokens(str(value.get("text") or ""), ctx.names)
    code, params = _current(str(value.get("code") or ""), value.get("params") or {})
    template = TEMPLATES.get(code)
    if template is None:
        return fallback
    try:
        values = {name: _param(name, param, ctx) for name, param in params.items()}
        for name, (number, fragment) in COUNTED.items():
            if number in values:
                values[name] = str(fragment % values)
        return _formatted(template, values)
    except (KeyError, TypeError, ValueError):
        return fallback


def _current(code: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A stored message's code and parameters as the matcher writes them now: runs stored
    before ``diagnosis.sizes_exact`` existed read "groups of 4–4" as "groups of 4".

    >>> _current("diagnosis.sizes", {"count": 5, "min_size": 4, "max_size": 4})
    ('diagnosis.sizes_exact', {'count': 5, 'size': 4})
    >>> _current("diagnosis.sizes", {"min_size": 4, "max_size": 6})[0]
    'diagnosis.sizes'
    """
    size = params.get("min_size")
    if code == "diagnosis.sizes" and size is not None and size == params.get("max_size"):
        rest = {k: v for k, v in params.items() if k not in ("min_size", "max_size")}
        return "diagnosis.sizes_exact", {**rest, "size": size}
    return code, params


# "de Amina" is "d’Amina" in French: "de", "que", "le" and "la" lose their vowel before a
# vowel. Only the template's own words change, never a peer's name or what they wrote: the
# template is first filled with markers, elided next to them, then the markers replaced.
_MARKER = re.compile("\x00(\\w+)\x00")
_ELIDABLE = re.compile("\\b(de|que|le|la) \x00(\\w+)\x00")
_VOWEL = re.compile(r"[aeiouàâäéèêëîïôöùûüæœ]", re.IGNORECASE)


def _formatted(template: Any, values: Mapping[str, Any]) -> str:
    # Numbers stay numbers: a plural template picks its form from them.
    marked = {k: f"\x00{k}\x00" if isinstance(v, str) else v for k, v in values.items()}
    text = str(template % marked)
    if (get_language() or "").startswith("fr"):

        def elide(match: re.Match[str]) -> str:
            word, name = match.groups()
            if _VOWEL.match(str(values[name])):
                return f"{word[:-1]}’\x00{name}\x00"
            return match.group(0)

        text = _ELIDABLE.sub(elide, text)
    return _MARKER.sub(lambda m: str(values[m.group(1)]), text)


#: Parameters that hold a reform stage's number (1–5), shown by the stage's name.
STAGE_PARAMS = frozenset({"stage", "low", "high", "seeker_stage", "provider_stage"})


def _param(name: str, value: Any, ctx: Renderer) -> Any:
    kind = PARAM_KINDS.get(name)
    if name in STAGE_PARAMS and isinstance(value, int) and value in ReformStage.values:
        return str(ReformStage(value).label)
    if isinstance(value, dict):
        return _render(value, ctx)
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return str(_CLAUSES).join(_render(v, ctx) for v in value)
    if isinstance(value, list):
        single = {"languages": "language", "countries": "country"}.get(kind or "", kind)
        return _list([_one(single, v, ctx) for v in value])
    if kind == "number" and isinstance(value, float):
        return number_format(value, decimal_pos=_DECIMALS.get(name, 3))
    return _one(kind, value, ctx)


def _one(kind: str | None, value: Any, ctx: Renderer) -> Any:
    if kind == "peer":
        pid = value if isinstance(value, int) else token_peer_id(str(value))
        return (ctx.names.get(pid) if pid is not None else None) or gettext("another member")
    if kind == "language":
        return language_name(str(value))
    if kind == "country":
        return country_name(str(value))
    if kind == "theme":
        return _theme(str(value), ctx)
    if kind == "organisation":
        return _organisation(str(value), ctx)
    if kind == "rule":
        return rule_label(str(value))
    if kind == "number":
        return value
    return str(value)


def _list(items: list[Any]) -> str:
    words = [str(i) for i in items]
    locale = current_locale()
    if locale is None:
        return ", ".join(words)
    return format_list(words, locale=locale)


def _theme(slug: str, ctx: Renderer) -> str:
    if ctx.themes is None:  # a few dozen rows: one query for the whole page
        ctx.themes = {t.slug: t.display_name for t in Theme.objects.all()}
    return ctx.themes.get(slug, slug)


def _organisation(value: str, ctx: Renderer) -> str:
    """The matcher knows a platform organisation by its id; show its name."""
    if value not in ctx.organisations:
        name = None
        if value.isdigit():
            name = Organisation.objects.filter(id=int(value)).values_list("name", flat=True).first()
        ctx.organisations[value] = name or value
    return ctx.organisations[value]
