"""The table of matching rules: every hard rule a matching can be asked to meet, declared once.

Each :class:`Rule` names a field of :class:`~peerlearn.matching.types.GroupRules`,
:class:`~peerlearn.matching.types.PairRules` or :class:`~peerlearn.matching.types.TeamRules`
and says everything the surfaces need to offer it: its type, the kinds of matching it
applies to, its default, its bounds, the question a form asks, a help text, the short name
explanations and diagnoses use for it, and its command-line flag. The command line
(:mod:`peerlearn.matching.cli`) and, on the platform, the run form, the API's input schema,
the service that validates a run's rules and the explanations' rule labels are all built
from :data:`RULES`. Adding a rule therefore touches the solver that enforces it, the checker
that verifies it, and one entry here (see docs/architecture.md, "Adding a matching rule").

The texts are plain English. They are marked with :func:`gettext_noop`, so Django's
``makemessages`` collects them into the platform's catalogues, and the platform translates
them when it shows them; the library itself never translates.

    >>> [r.name for r in rules_for("pairs")]
    ['common_language', 'provider_capacity', 'different_organisation']
    >>> defaults("team")["size"], rule("max_gender_share").bounds_text()
    (5, 'above 0 and at most 1')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["groups", "pairs", "team"]
#: The kinds of matching, in the order the surfaces list them.
KINDS: tuple[Kind, ...] = ("groups", "pairs", "team")

#: A rule's value, as every surface passes it on.
Value = bool | int | float | str | None


def gettext_noop(text: str) -> str:
    """Mark ``text`` for translation without translating it (the platform translates it
    where it shows it); ``makemessages`` collects the strings so marked."""
    return text


class _Same:
    """``library_default`` when it is the same as ``default``."""

    def __repr__(self) -> str:
        return "SAME"


SAME = _Same()


@dataclass(frozen=True)
class Rule:
    """One hard rule and everything a surface needs to offer it.

    ``default`` is what a platform run applies when the rule is left out (``None``: no
    limit, or for the group sizes, chosen from the pool's size); ``library_default`` is the
    rules dataclass's own default, which the command line uses. ``minimum`` and ``maximum``
    are inclusive unless ``exclusive_minimum``. ``percent`` rules are fractions that forms
    show in percent; ``country`` rules hold an ISO 3166-1 alpha-2 code. A ``cli_negated``
    flag turns the rule off. Rules that are not ``scalar`` (kept-together peers, excluded
    pairs) and the checkers' own conditions (``kinds`` empty) are listed for their labels;
    each surface takes them its own way.
    """

    name: str
    type: type[bool] | type[int] | type[float] | type[str]
    kinds: tuple[Kind, ...]
    short: str  # how explanations and diagnoses name the rule
    label: str = ""  # the question a form asks
    help: str = ""
    default: Value = None
    library_default: Value | _Same = SAME
    minimum: int | float | None = None
    maximum: int | float | None = None
    exclusive_minimum: bool = False
    percent: bool = False
    country: bool = False
    cli_flag: str = ""
    cli_metavar: str | None = None
    cli_negated: bool = False
    scalar: bool = True

    @property
    def base_default(self) -> Value:
        """The default of the library's rules dataclasses (and of the command line)."""
        if isinstance(self.library_default, _Same):
            return self.default
        return self.library_default

    @property
    def flag(self) -> str:
        """The command-line flag: ``--min-size`` for ``min_size`` unless declared."""
        return self.cli_flag or "--" + self.name.replace("_", "-")

    def bounds_text(self) -> str:
        """The bounds in words, e.g. ``at least 2 and at most 100``."""
        parts = []
        if self.minimum is not None:
            word = "above" if self.exclusive_minimum else "at least"
            parts.append(f"{word} {self.minimum:g}")
        if self.maximum is not None:
            parts.append(f"at most {self.maximum:g}")
        return " and ".join(parts)

    def accepts(self, value: int | float) -> bool:
        """True when ``value`` is within the bounds."""
        if self.minimum is not None and (
            value <= self.minimum if self.exclusive_minimum else value < self.minimum
        ):
            return False
        return self.maximum is None or value <= self.maximum


_ = gettext_noop
_ALL: tuple[Kind, ...] = KINDS

#: Every rule, in the order the surfaces show them.
RULES: tuple[Rule, ...] = (
    Rule(
        "common_language",
        bool,
        _ALL,
        short=_("a working language everyone shares"),
        label=_("A working language everyone shares"),
        default=True,
    ),
    Rule(
        "min_size",
        int,
        ("groups",),
        short=_("smallest group"),
        label=_("Smallest group"),
        help=_("Leave both sizes empty for 10–12, or smaller groups in a small pool."),
        library_default=10,
        minimum=2,
        maximum=100,
    ),
    Rule(
        "max_size",
        int,
        ("groups",),
        short=_("largest group"),
        label=_("Largest group"),
        library_default=12,
        minimum=2,
        maximum=100,
    ),
    Rule(
        "same_stage",
        bool,
        ("groups",),
        short=_("same reform stage"),
        label=_("Same stage of the reform cycle in each group"),
        default=False,
    ),
    Rule(
        "min_countries",
        int,
        ("groups", "team"),
        short=_("countries in each group"),
        label=_("At least this many countries"),
        default=1,
        minimum=1,
        maximum=50,
        cli_metavar="K",
    ),
    Rule(
        "max_per_org",
        int,
        ("groups", "team"),
        short=_("peers from one organisation"),
        label=_("At most this many peers from one organisation"),
        minimum=1,
        maximum=50,
        cli_metavar="N",
    ),
    Rule(
        "max_gender_share",
        float,
        ("groups", "team"),
        short=_("share of one gender"),
        label=_("At most this share of one gender (%)"),
        help=_("Applied where the pool allows it; peers who state no gender are not counted."),
        minimum=0,
        maximum=1,
        exclusive_minimum=True,
        percent=True,
        cli_metavar="F",
    ),
    Rule(
        "min_senior",
        int,
        ("groups", "team"),
        short=_("senior peers"),
        label=_("At least this many senior peers (director or above)"),
        default=0,
        minimum=0,
        maximum=20,
        cli_metavar="M",
    ),
    Rule(
        "provider_capacity",
        int,
        ("pairs",),
        short=_("seekers each provider can help"),
        label=_("Seekers each provider can help"),
        default=1,
        minimum=1,
        maximum=20,
        cli_metavar="C",
    ),
    Rule(
        "different_organisation",
        bool,
        ("pairs",),
        short=_("different organisations"),
        label=_("Pair peers from different organisations only"),
        default=True,
        cli_flag="--allow-same-organisation",
        cli_negated=True,
    ),
    Rule(
        "size",
        int,
        ("team",),
        # Also the name under which checkers and diagnoses report a group of the wrong size.
        short=_("size"),
        label=_("Team size"),
        default=5,
        minimum=2,
        maximum=50,
        cli_metavar="N",
    ),
    Rule(
        "country",
        str,
        ("team",),
        short=_("one country"),
        label=_("Keep the team inside one country"),
        default="",
        library_default=None,
        country=True,
        cli_metavar="CC",
    ),
    Rule(
        "pinned",
        str,
        _ALL,
        short=_("peers kept together"),
        label=_("Keep these peers together"),
        help=_(
            "One line per set, peers by profile number (12, 57) or the address of their "
            "profile page. Groups: each line stays in one group. Pairs: a seeker, then a "
            "provider. Team: every peer listed is in it."
        ),
        cli_flag="--pin",
        scalar=False,
    ),
    Rule(
        "excluded",
        str,
        _ALL,
        short=_("excluded pairs"),
        cli_flag="--exclude",
        scalar=False,
    ),
    # Conditions the checkers verify of every result, named in their violations.
    Rule("duplicate", str, (), short=_("each peer once"), scalar=False),
    Rule("unknown", str, (), short=_("known peers"), scalar=False),
    Rule("role", str, (), short=_("seekers paired with providers"), scalar=False),
    Rule("self", str, (), short=_("nobody paired with themself"), scalar=False),
)
del _

_BY_NAME = {r.name: r for r in RULES}


def rule(name: str) -> Rule:
    """The rule called ``name``; KeyError when there is none."""
    return _BY_NAME[name]


def rules_for(kind: Kind | str) -> tuple[Rule, ...]:
    """The rules a matching of ``kind`` takes as single values, in the table's order."""
    return tuple(r for r in RULES if r.scalar and kind in r.kinds)


def defaults(kind: Kind | str) -> dict[str, Value]:
    """What a platform run of ``kind`` applies for each rule left out."""
    return {r.name: r.default for r in rules_for(kind)}


def default_text(r: Rule) -> str:
    """The platform default in words, for help texts and API descriptions."""
    if r.name in ("min_size", "max_size"):
        return f"{r.base_default} (less for small pools)"
    if r.default is None or r.default == "":
        return "no limit" if r.type is not str else "none"
    if isinstance(r.default, bool):
        return "true" if r.default else "false"
    return str(r.default)
