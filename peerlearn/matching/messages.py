"""Structured messages: every explanation, unmatched reason and diagnosis the engine writes.

A :class:`Message` is a stable ``code``, the English ``template`` it was written from and the
``params`` that fill it in. ``str(message)`` (or ``message.text``) is the English sentence the
command line prints; ``message.to_json()`` is ``{"code", "params", "text"}``, from which an
application renders the sentence in its reader's language, with peer ids replaced by names,
language and country codes by their names, and so on (:data:`PARAM_KINDS` says which
parameter holds what). Peer ids are always parameters, never part of a template.

Templates use :meth:`str.format` fields, plus one extension for plurals:
``{count:peer|peers}`` renders ``1 peer`` or ``3 peers``. A list parameter renders as its
items joined by ", "; a nested message as its text; a list of messages joined by "; ".
"""

from __future__ import annotations

import functools
import string
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Union

#: A parameter's value. Lists are kept as tuples (the message is frozen); ``to_json`` turns
#: them back into lists.
Param = Union[str, int, float, tuple[str, ...], "Message", tuple["Message", ...]]

#: What each parameter holds, so that an application can render it for its reader:
#:
#: * ``peer`` — a peer id (replace by the name the reader may see);
#: * ``language`` / ``languages`` — ISO 639-1 code(s); ``country`` / ``countries`` —
#:   ISO 3166-1 alpha-2 code(s);
#: * ``theme`` — the peer record's theme; ``organisation`` — the peer record's organisation;
#: * ``terms`` — words or phrases found in the peers' texts (shown as they are);
#: * ``quote`` — a snippet of a peer's text or of the problem (quotes what someone wrote);
#: * ``rule`` — the name of a rule field, e.g. ``min_senior``;
#: * ``number`` — an int or a float;
#: * ``message`` / ``messages`` — nested message(s).
PARAM_KINDS: Mapping[str, str] = {
    "peer": "peer",
    "seeker": "peer",
    "provider": "peer",
    "language": "language",
    "languages": "languages",
    "country": "country",
    "seeker_country": "country",
    "provider_country": "country",
    "countries": "countries",
    "theme": "theme",
    "organisation": "organisation",
    "concepts": "terms",
    "terms": "terms",
    "challenge": "quote",
    "experience": "quote",
    "problem": "quote",
    "rule": "rule",
    "count": "number",
    "stage": "number",
    "low": "number",
    "high": "number",
    "seeker_stage": "number",
    "provider_stage": "number",
    "size": "number",
    "min_size": "number",
    "max_size": "number",
    "min_countries": "number",
    "max_per_org": "number",
    "groups": "number",
    "taken": "number",
    "seniors": "number",
    "needed": "number",
    "most": "number",
    "capacity": "number",
    "organisations": "number",
    "relevance": "number",
    "weight": "number",
    "mean": "number",
    "where": "message",
    "why": "message",
    "reasons": "messages",
}

#: Every code the engine uses, with its English template.
TEMPLATES: Mapping[str, str] = {
    # --- explanations: reasons -------------------------------------------------------
    "reason.shared_language": "shared working language: {languages}",
    "reason.no_shared_language": "no single language shared by every member",
    "reason.same_stage": "all at reform stage {stage}",
    "reason.stage_range": "reform stages {low}–{high}",
    "reason.countries": "{count:country|countries}: {countries}",
    "reason.organisations": "{count:organisation|organisations}",
    "reason.seniors": "{count:senior peer|senior peers}",
    "reason.common_theme": "common theme: {theme}",
    "reason.both_at_stage": "both at reform stage {stage}",
    "reason.further_along": (
        "{provider} is further along the reform cycle (stage {provider_stage} vs {seeker_stage})"
    ),
    "reason.countries_pair": "{seeker_country} ↔ {provider_country}",
    "reason.same_country": "both in {country}",
    "reason.experience_answers": (
        "{provider}'s experience (“{experience}”) answers {seeker}'s challenge (“{challenge}”)"
    ),
    # --- explanations: summaries ---------------------------------------------------
    "summary.group": "{count} peers; {reasons}",
    "summary.group_common_ground": "{count} peers; {reasons}; common ground: {concepts}",
    "summary.pair": "{provider} can help {seeker}",
    "summary.pair_on": "{provider} can help {seeker} on {concepts}",
    "summary.team": (
        "team of {size} around “{problem}” drawing on {organisations:organisation|organisations}"
    ),
    "summary.weights": (
        "{size} members; within-group weight {weight:g} over ordered pairs (mean {mean:g} per pair)"
    ),
    # --- explanations: what each member brings and seeks ---------------------------
    "brings.answers_on": "experience that answers {peer}'s challenge ({concepts})",
    "brings.answers_quote": "experience that answers {peer}'s challenge (“{challenge}”)",
    "brings.perspective": "perspective from their own reform",
    "brings.own_context": "their own reform context and questions",
    "brings.experience": "experience: {experience}",
    "brings.team": "experience: {experience} (relevance {relevance:.2f})",
    "brings.team_mentions": (
        "experience: {experience} (relevance {relevance:.2f}; mentions {terms})"
    ),
    "seeks.learns_on": "learns from {peer} on {concepts}",
    "seeks.learns_quote": "learns from {peer} on “{challenge}”",
    "seeks.no_challenge": "no challenge stated",
    "seeks.learns_from": "learns from {peer}",
    "seeks.insight": "insight from {peer}'s context",
    "seeks.works_on": "works on: {challenge}",
    # --- which peers a reason or diagnosis is about ---------------------------------
    "where.language": "working language {language!r}",
    "where.stage": "reform stage {stage}",
    "where.language_stage": "working language {language!r} and reform stage {stage}",
    "where.pool": "the pool",
    # --- why a peer is unmatched ------------------------------------------------------
    "unmatched.pinned_other_stage": (
        "pinned with peers at a different reform stage (same_stage is on)"
    ),
    "unmatched.no_language": "speaks no language",
    "unmatched.pinned_no_language": "pinned with peers who share no language",
    "unmatched.pinned_too_large": "pinned set of {count} is larger than max_size",
    "unmatched.too_few": (
        "only {count:peer shares|peers share} {where}; a group needs at least {min_size}"
    ),
    "unmatched.no_group": "no group of peers with {where} can meet {rule}",
    "unmatched.organisation_surplus": (
        "more peers from {organisation!r} than {max_per_org} per group allows in "
        "{groups:group|groups} with {where}"
    ),
    "unmatched.groups_limited": ("{why}: only {groups:group|groups} can be formed, taking {taken}"),
    "unmatched.groups_full": (
        "{groups:group|groups} of at most {max_size} take {taken} of the peers with {where}"
    ),
    "unmatched.left_out": "left out so that the groups with {where} meet the rules",
    "unmatched.left_out_rules": "left out so that the groups meet the rules",
    "unmatched.left_out_for_others": "left out so that the others can meet the rules: {why}",
    "unmatched.no_valid_group": "no valid group includes this peer",
    "unmatched.rule_kept_breaking": "no valid group with {where} found ({rule})",
    "unmatched.providers_at_capacity": (
        "every provider who could help is at capacity ({capacity:seeker|seekers} each)"
    ),
    "unmatched.no_providers": "there are no providers in the pool",
    "unmatched.no_provider_language": "no provider speaks a language this peer speaks",
    "unmatched.providers_ruled_out": (
        "every provider is ruled out (language, same organisation or an excluded pair)"
    ),
    "unmatched.provider_not_needed": (
        "no seeker needed this provider's experience more than another provider's"
    ),
    "unmatched.no_team": "no team meets every rule",
    # --- diagnoses: what stood in the way -------------------------------------------
    "diagnosis.pinned_stages": "a pinned set mixes reform stages",
    "diagnosis.pinned_too_large": "{count} peers are pinned together",
    "diagnosis.too_few": "{count:peer|peers} with {where} cannot form a group",
    "diagnosis.sizes": (
        "{count:peer|peers} with {where} cannot be split into groups of {min_size}-{max_size}"
    ),
    "diagnosis.sizes_exact": (
        "{count:peer|peers} with {where} cannot be split into groups of {size}"
    ),
    "diagnosis.seniors": (
        "{seniors:senior peer|senior peers} with {where}; {groups:group needs|groups need} {needed}"
    ),
    "diagnosis.organisation_cap": (
        "{count:peer|peers} from {organisation!r} with {where}; "
        "{groups:group takes|groups take} at most {most}"
    ),
    "diagnosis.organisations": (
        "peers with {where} come from {organisations:organisation|organisations}, too few "
        "for groups of {min_size} with at most {max_per_org} from each"
    ),
    "diagnosis.countries": (
        "peers with {where} come from {count:country|countries}, too few for "
        "{min_countries} in each of {groups:group|groups}"
    ),
    "diagnosis.cannot_group": "peers with {where} cannot all be grouped",
    "diagnosis.rule_kept_breaking": (
        "some peers with {where} could not be placed without breaking {rule}"
    ),
    "diagnosis.pinned_pair": (
        "pinned pair ({seeker}, {provider}) cannot be kept: roles or capacity do not allow it"
    ),
    "diagnosis.provider_capacity": (
        "{count:seeker|seekers} could be paired with more provider capacity"
    ),
    "diagnosis.team_relaxation": "no team of {size} meets every rule; relaxing {rule} works",
    "diagnosis.no_team": "no team can be formed from this pool",
}


class _Formatter(string.Formatter):
    """:class:`string.Formatter` with plurals: ``{n:peer|peers}`` gives ``1 peer``, ``2 peers``."""

    def format_field(self, value: Any, format_spec: str) -> Any:
        if "|" in format_spec:
            one, other = format_spec.split("|", 1)
            return f"{value} {one if value == 1 else other}"
        return super().format_field(value, format_spec)


_FORMATTER = _Formatter()

#: A template cut into (literal, field, conversion, format spec) parts.
_Parts = tuple[tuple[str, str | None, str | None, str], ...]


@functools.cache
def _parts(template: str) -> _Parts | None:
    """The template's parts, cut once per template, or None when a field is more than a
    plain name (an attribute, an index, a nested field), which :data:`_FORMATTER` then
    handles."""
    parts = tuple(
        (literal, name, conversion, spec or "")
        for literal, name, spec, conversion in _FORMATTER.parse(template)
    )
    plain = all(
        name is None or (name.isidentifier() and "{" not in spec) for _, name, _, spec in parts
    )
    return parts if plain else None


def _render(template: str, values: Mapping[str, Any]) -> str:
    """``_FORMATTER.format(template, **values)``, from the parts cut once: the engine writes
    hundreds of thousands of sentences for a large pool, and :class:`string.Formatter`
    parses the template anew each time.

    >>> _render("{n:peer|peers} from {org!r}", {"n": 2, "org": "MoF"})
    "2 peers from 'MoF'"
    """
    parts = _parts(template)
    if parts is None:
        return _FORMATTER.format(template, **values)
    out: list[str] = []
    for literal, name, conversion, spec in parts:
        out.append(literal)
        if name is None:
            continue
        value = values[name]
        if conversion == "r":
            value = repr(value)
        elif conversion == "s":
            value = str(value)
        elif conversion == "a":
            value = ascii(value)
        out.append(_FORMATTER.format_field(value, spec) if spec else format(value))
    return "".join(out)


def _english(value: Param) -> Any:
    if isinstance(value, Message):
        return value.text
    if isinstance(value, tuple):
        if value and isinstance(value[0], Message):
            return "; ".join(str(v) for v in value)
        return ", ".join(str(v) for v in value)
    return value


def _frozen(value: Any) -> Param:
    if isinstance(value, (list, tuple)):
        return tuple(value)
    if isinstance(value, (str, int, float, Message)):
        return value
    raise TypeError(f"a message parameter must be text, a number, a list or a message: {value!r}")


def _name(item: tuple[str, Param]) -> str:
    return item[0]


def _json(value: Param) -> Any:
    if isinstance(value, Message):
        return value.to_json()
    if isinstance(value, tuple):
        return [_json(v) for v in value]
    return value


@dataclass(frozen=True, slots=True)
class Message:
    """A sentence the engine writes: a code, an English template and its parameters."""

    code: str
    template: str
    params: Mapping[str, Param] = field(default_factory=dict)
    #: The English sentence, rendered when first asked for: a summary quotes its reasons,
    #: which the explanation also lists, so one message is read several times.
    _text: str | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", {k: _frozen(v) for k, v in self.params.items()})

    def __hash__(self) -> int:
        return hash((self.code, self.template, tuple(sorted(self.params.items(), key=_name))))

    def __bool__(self) -> bool:
        return bool(self.code or self.template)

    def __str__(self) -> str:
        if self._text is None:
            try:
                text = _render(self.template, {k: _english(v) for k, v in self.params.items()})
            except (KeyError, IndexError, ValueError):
                text = self.template
            object.__setattr__(self, "_text", text)
            return text
        return self._text

    @property
    def text(self) -> str:
        """The English sentence, as the command line prints it."""
        return str(self)

    def to_json(self) -> dict[str, Any]:
        """``{"code", "params", "text"}``; list parameters are lists, nested messages dicts."""
        return {
            "code": self.code,
            "params": {k: _json(v) for k, v in self.params.items()},
            "text": self.text,
        }

    def walk(self) -> Iterator[tuple[str, Param]]:
        """Every (name, value) parameter, nested messages' included."""
        for name, value in self.params.items():
            yield name, value
            nested = value if isinstance(value, tuple) else (value,)
            for item in nested:
                if isinstance(item, Message):
                    yield from item.walk()


#: No message (an explanation that was not asked for).
NO_MESSAGE = Message("", "")


def message(
    code: str, **params: str | int | float | Sequence[str] | Message | Sequence[Message]
) -> Message:
    """The message ``code`` with its English template from :data:`TEMPLATES`.

    >>> str(message("reason.countries", count=2, countries=["KE", "UG"]))
    '2 countries: KE, UG'
    >>> message("unmatched.no_team").to_json()
    {'code': 'unmatched.no_team', 'params': {}, 'text': 'no team meets every rule'}
    """
    return Message(code, TEMPLATES[code], params)  # type: ignore[arg-type]  # frozen there
