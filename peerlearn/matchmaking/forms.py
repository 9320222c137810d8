"""Web forms for matchings. They parse input; the services decide what is valid."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from peerlearn.access.alliances import alliances_managed_by
from peerlearn.access.base import Viewer
from peerlearn.access.matching import open_calls_managed_by
from peerlearn.access.peers import peers_visible_to
from peerlearn.access.visibility import ALLIANCE_VISIBILITY_CHOICES, Visibility
from peerlearn.accounts.models import User
from peerlearn.alliances.models import LearningAlliance
from peerlearn.core.forms import DateInput, ModelChoiceByName, form_add_problems
from peerlearn.core.models import Country, Language, Theme
from peerlearn.core.pickers import PickerField
from peerlearn.matching.methods import (
    MAX_WEIGHT,
    WEIGHT_NAMES,
    method_spec,
    methods_for,
)
from peerlearn.matching.rules import KINDS, Rule, rule, rules_for
from peerlearn.matchmaking.models import (
    DeclineReason,
    ExclusionReason,
    OpenCall,
    PoolSource,
    RunKind,
    decline_reason_choices,
)
from peerlearn.matchmaking.selectors import WEIGHT_LABELS
from peerlearn.matchmaking.services import (
    default_alliance_name,
    matching_run_problems,
    weights_problems,
)
from peerlearn.peers.models import PeerProfile, ReformStage
from peerlearn.peers.pickers import PEERS

#: Where each pool source takes its one parameter from.
SOURCE_FIELDS = {
    PoolSource.THEME: "theme",
    PoolSource.ALLIANCE: "alliance",
    PoolSource.CALL: "call",
}


class RunForm(forms.Form):
    # The pool
    source = forms.ChoiceField(
        label=_("Pool"),
        choices=PoolSource.choices,
        widget=forms.RadioSelect,
        initial=PoolSource.THEME,
    )
    theme = forms.ModelChoiceField(
        empty_label="—",
        label=_("Theme"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        required=False,
        help_text=_("The pool's theme; for other pools, the theme of the alliance it creates."),
    )
    alliance = forms.ModelChoiceField(
        empty_label="—",
        label=_("Alliance whose candidates are matched"),
        queryset=LearningAlliance.objects.none(),
        to_field_name="slug",
        required=False,
        help_text=_("Its peer learners, resource peers and those who raised challenges in it."),
    )
    call = forms.ModelChoiceField(
        empty_label="—",
        label=_("Open call whose applicants are matched"),
        queryset=OpenCall.objects.none(),
        required=False,
    )
    pool_country = ModelChoiceByName(
        empty_label="—",
        label=_("Only peers from this country"),
        queryset=Country.objects.all(),
        to_field_name="code",
        required=False,
    )
    pool_language = ModelChoiceByName(
        empty_label="—",
        label=_("Only peers working in this language"),
        queryset=Language.objects.all(),
        to_field_name="code",
        required=False,
    )
    pool_stage = forms.TypedChoiceField(
        label=_("Only peers at this reform stage"),
        choices=[("", _("Any stage")), *ReformStage.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )
    # What to form
    kind = forms.ChoiceField(
        label=_("Form"),
        choices=RunKind.choices,
        widget=forms.RadioSelect,
        initial=RunKind.GROUPS,
        help_text=_(
            "Groups: everyone learns and contributes, around common challenges. Pairs: a "
            "provider whose experience answers a seeker's challenge. Team: the peers whose "
            "experience bears most on one named reform problem."
        ),
    )
    problem = forms.CharField(
        label=_("The reform problem"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a team: the hindrance the team is assembled around."),
    )
    pinned = forms.CharField(
        label=gettext_lazy(rule("pinned").label),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(rule("pinned").help),
    )
    method = forms.ChoiceField(
        label=_("How peers are matched"),
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "The method sets how much each part of the score counts; the run page shows "
            "which one was used."
        ),
    )
    # The single-valued rules and the score weights are added below.
    # What confirmed proposals become
    target_alliance = forms.ModelChoiceField(
        empty_label="—",
        label=_("Add confirmed members to this alliance"),
        queryset=LearningAlliance.objects.none(),
        to_field_name="slug",
        required=False,
    )
    alliance_name = forms.CharField(
        label=_("Or name the new learning alliance"),
        max_length=150,
        required=False,
    )
    # One token per form shown: the same form sent twice starts one matching.
    token = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        managed = alliances_managed_by(user).select_related("theme").order_by("name")
        self.fields["alliance"].queryset = managed  # type: ignore[attr-defined]
        self.fields["target_alliance"].queryset = managed  # type: ignore[attr-defined]
        self.fields["call"].queryset = open_calls_managed_by(user).order_by("-created_at")  # type: ignore[attr-defined]
        self.fields["token"].initial = uuid.uuid4().hex
        self.fields["alliance_name"].initial = default_alliance_name(self._initial_theme_name())
        kind = self.chosen_kind()
        self.fields["alliance_name"].help_text = str(ALLIANCE_NAME_HELP[kind])
        self._offer_pool_choices()
        method_field = self.fields["method"]
        method_field.choices = method_choices(kind)  # type: ignore[attr-defined]
        if self.initial.get("method") not in {m.value for m in methods_for(kind)}:
            self.initial["method"] = methods_for(kind)[0].value
        if kind == RunKind.TEAM:
            for name in WEIGHT_NAMES:
                self.fields.pop(weight_field_name(name))

    def _offer_pool_choices(self) -> None:
        """The country and language choices (the pool's filters, a team kept inside one
        country) offer only the countries and working languages of the peers the
        facilitator can see, by name in the reader's language, and the one an earlier run
        chose or the form sent: not every country and language in the world."""
        peers = peers_visible_to(self.user)
        offered: dict[type[Country | Language], QuerySet[Any]] = {
            Country: Country.objects.filter(pk__in=peers.values("user__organisation__country")),
            Language: Language.objects.filter(pk__in=peers.values("languages")),
        }
        for name, field in self.fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is None or queryset.model not in offered:
                continue
            choices = offered[queryset.model]
            chosen = self.initial.get(name) or (self.data.get(name) if self.data else None)
            field.queryset = (  # type: ignore[attr-defined]
                choices | queryset.model.objects.filter(pk=chosen) if chosen else choices
            )

    def clean(self) -> dict[str, Any]:
        """A run needs a name for the alliances it may form: left empty (and no alliance to
        add to), it takes the default name rather than failing."""
        cleaned = super().clean() or {}
        name = (cleaned.get("alliance_name") or "").strip()
        if not cleaned.get("target_alliance") and (not name or self._is_offered_name(name)):
            theme = self._chosen_theme(cleaned)
            cleaned["alliance_name"] = default_alliance_name(
                theme.display_name if theme is not None else None
            )
        if self.errors and cleaned.get("kind") in KINDS and cleaned.get("source"):
            self._add_run_problems()
        self._add_weights_problems(cleaned)
        return cleaned

    def _initial_theme_name(self) -> str | None:
        """The theme the page opens with (``?theme=``, an open call's), if any."""
        slug = self.initial.get("theme")
        theme = Theme.objects.filter(slug=slug).first() if slug else None
        return theme.display_name if theme is not None else None

    @staticmethod
    def _chosen_theme(cleaned: dict[str, Any]) -> Theme | None:
        """The theme of the alliances the run creates, as the service reads it: the one
        chosen, else the pool alliance's or the open call's."""
        if cleaned.get("theme") is not None:
            return cleaned["theme"]  # type: ignore[no-any-return]
        source = cleaned.get("source")
        if source == PoolSource.ALLIANCE and cleaned.get("alliance") is not None:
            return cleaned["alliance"].theme  # type: ignore[no-any-return]
        if source == PoolSource.CALL and cleaned.get("call") is not None:
            return cleaned["call"].theme  # type: ignore[no-any-return]
        return None

    @staticmethod
    def _is_offered_name(name: str) -> bool:
        """Whether ``name`` is a default the form offered and the facilitator left as it was
        (today's, with no theme or another one): the theme may be chosen after the page was
        opened, and without JavaScript the offered name cannot follow it."""
        return name == default_alliance_name() or any(
            name == default_alliance_name(t.display_name) for t in Theme.objects.all()
        )

    def weights_open(self) -> bool:
        """Whether the advanced weights open: one was set, or has an error."""
        return any(f.errors or f.value() not in (None, "") for f in self.weight_fields())

    def _add_weights_problems(self, cleaned: dict[str, Any]) -> None:
        """Weights that are all 0 are refused beside the first weight, inside the advanced
        section the page opens on an error, where the facilitator set them."""
        fields = [f.name for f in self.weight_fields()]
        if not fields or cleaned.get("kind") not in KINDS or "method" in self.errors:
            return
        if any(name in self.errors for name in fields):
            return
        weights = {
            n: cleaned[weight_field_name(n)]
            for n in WEIGHT_NAMES
            if cleaned.get(weight_field_name(n)) is not None
        }
        problems = weights_problems(
            kind=cleaned["kind"], method=cleaned.get("method") or "", weights=weights
        )
        for message in problems.get("weights", []):
            self.add_error(fields[0], message)

    def _add_run_problems(self) -> None:
        """Beside the fields' own errors, what the matching would refuse in the fields that
        were read (a missing theme, a largest group below the smallest), so that every
        error shows in one round rather than after the first ones are fixed."""
        args = self.service_arguments()
        failed = set(self.errors)
        problems = matching_run_problems(
            user=self.user,
            kind=args["kind"],
            source=args["source"],
            theme=args["theme"],
            alliance=args["alliance"],
            call=args["call"],
            rules={name: v for name, v in args["rules"].items() if name not in failed},
        )
        # A size compared with the other's default, when the other was not read, is no
        # error of the user's.
        sizes = {"min_size", "max_size"}
        form_add_problems(self, problems, skip=sizes if failed & sizes else ())

    def chosen_kind(self) -> str:
        """The kind of matching whose rules the form shows: the one sent, else the initial."""
        value = self["kind"].value()
        return str(value) if value in KINDS else RunKind.GROUPS

    def chosen_kind_label(self) -> str:
        return str(dict(RunKind.choices).get(self.chosen_kind(), ""))

    def rule_sections(self) -> list[tuple[Promise | None, list[forms.BoundField]]]:
        """The rule fields of the chosen kind as the page shows them: one section per set of
        kinds, the team's problem first in the team's section."""
        kind = self.chosen_kind()
        return [(legend, fields) for legend, fields, kinds in self._sections() if kind in kinds]

    def _sections(
        self,
    ) -> list[tuple[Promise | None, list[forms.BoundField], frozenset[str]]]:
        sections: dict[frozenset[str], list[forms.BoundField]] = {
            kinds: [] for kinds, _legend in RULE_SECTIONS
        }
        sections[frozenset({"team"})].append(self["problem"])
        first = RULE_SECTIONS[0][0]
        for r in RULES_SHOWN:
            kinds = frozenset(r.kinds)
            sections[kinds if kinds in sections else first].append(self[r.name])
        return [
            (legend, sections[kinds], kinds) for kinds, legend in RULE_SECTIONS if sections[kinds]
        ]

    def weight_fields(self) -> list[forms.BoundField]:
        """The score weights an advanced user may change (none for a team)."""
        names = [weight_field_name(n) for n in WEIGHT_NAMES]
        return [self[name] for name in names if name in self.fields]

    def clean_pinned(self) -> list[list[int]]:
        """Lines of profile numbers (or profile addresses) as lists of numbers."""
        out: list[list[int]] = []
        errors: list[str] = []
        text = self.cleaned_data.get("pinned") or ""
        for number, line in enumerate(text.splitlines(), start=1):
            ids: list[int] = []
            for item in re.split(r"[\s,;]+", line.strip()):
                if not item:
                    continue
                found = re.fullmatch(r"(?:.*/peers/)?(\d+)/?", item)
                if found is None:
                    errors.append(
                        str(
                            _(
                                "Line %(line)s: “%(item)s” is not a profile number or profile "
                                "address; write numbers such as 12, 57."
                            )
                        )
                        % {"line": number, "item": item}
                    )
                else:
                    ids.append(int(found.group(1)))
            if ids:
                out.append(ids)
        if errors:
            raise forms.ValidationError(errors)
        return out

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned form as ``matching_run_create`` keyword arguments."""
        d = self.cleaned_data
        kind = d["kind"]
        rules: dict[str, Any] = {}
        for r in rules_for(kind):
            value = d.get(r.name)
            if r.percent and value is not None:
                value = value / 100
            elif r.country:
                value = value.code if value else ""
            rules[r.name] = value
        return {
            "kind": kind,
            "source": d["source"],
            "theme": d["theme"].slug if d.get("theme") else "",
            "alliance": d["alliance"].slug if d.get("alliance") else "",
            "call": d["call"].id if d.get("call") else None,
            "filters": {
                "country": d["pool_country"].code if d.get("pool_country") else "",
                "language": d["pool_language"].code if d.get("pool_language") else "",
                "stage": d.get("pool_stage"),
            },
            "rules": rules,
            "problem": d.get("problem") or "",
            "target_alliance": d["target_alliance"].slug if d.get("target_alliance") else "",
            "alliance_name": d.get("alliance_name") or "",
            "pinned": d.get("pinned") or [],
            "token": d.get("token") or "",
            "method": d.get("method") or "",
            "weights": {
                n: d[weight_field_name(n)]
                for n in WEIGHT_NAMES
                if d.get(weight_field_name(n)) is not None
            },
        }


def run_form_initial_from(data: Any) -> dict[str, Any]:
    """The run form's initial values from a sent form whose kind changed: what was sent,
    each rule shown for the former kind (``shown_kind``) as it was left, a checkbox left
    clear included; the rules of the new kind not shown before take their defaults."""
    shown = str(data.get("shown_kind") or "")
    shown_rules = {r.name for r in rules_for(shown)} if shown in KINDS else set()
    initial: dict[str, Any] = {}
    for name, field in RunForm.base_fields.items():
        if name == "token":
            continue
        if isinstance(field, forms.BooleanField):
            if name in shown_rules:
                initial[name] = name in data
        elif name in data and (name not in RULE_NAMES or name in shown_rules):
            initial[name] = data.get(name)
    return initial


def run_form_kind_changed(data: Any) -> bool:
    """Whether a sent run form asks for another kind than the one whose rules and methods it
    showed (chosen without JavaScript, then sent at once): the facilitator has not seen what
    the new kind will run with."""
    shown, kind = str(data.get("shown_kind") or ""), str(data.get("kind") or "")
    return shown in KINDS and kind in KINDS and shown != kind


def method_choices(kind: str) -> list[tuple[str, str]]:
    """The methods a run of ``kind`` can use, its default first, each with what it means."""
    out = []
    for m in methods_for(kind):
        spec = method_spec(m)
        out.append((m.value, f"{_(spec.label)} — {_(spec.description)}"))
    return out


def weight_field_name(name: str) -> str:
    """The run form's field for the score weight ``name``."""
    return f"weight_{name}"


#: The hint under the alliance's name, by the kind of matching: a team forms one alliance.
ALLIANCE_NAME_HELP: dict[str, Promise] = {
    RunKind.GROUPS: _("Each confirmed group becomes its own alliance, numbered after this name."),
    RunKind.PAIRS: _("Each confirmed pair becomes its own alliance, numbered after this name."),
    RunKind.TEAM: _("The confirmed team becomes a learning alliance with this name."),
}

#: The rules the run form offers: every single-valued rule of any kind, in the table's order.
RULES_SHOWN: tuple[Rule, ...] = tuple(
    dict.fromkeys(r for kind in KINDS for r in rules_for(kind)).keys()
)

#: Where the run form shows a rule: the section for exactly the kinds it applies to (the
#: first, unlabelled section when there is none).
RULE_SECTIONS: tuple[tuple[frozenset[str], Promise | None], ...] = (
    (frozenset(KINDS), None),
    (frozenset({"groups"}), _("Learning groups")),
    (frozenset({"groups", "team"}), _("Groups and teams")),
    (frozenset({"pairs"}), _("Pairs")),
    (frozenset({"team"}), _("A problem-focused team")),
)


def rule_form_field(r: Rule) -> forms.Field:
    """The run form's field for a rule of the rules table: its label, help, default and
    bounds (a share in percent; a country from the platform's countries)."""
    label = gettext_lazy(r.label)
    help_text: Any = gettext_lazy(r.help) if r.help else ""
    initial = None if r.default is None or r.default == "" or r.default is False else r.default
    if r.type is bool:
        return forms.BooleanField(label=label, help_text=help_text, initial=initial, required=False)
    if r.country:
        return ModelChoiceByName(
            empty_label="—",
            label=label,
            help_text=help_text,
            queryset=Country.objects.all(),
            to_field_name="code",
            required=False,
        )
    scale = 100 if r.percent else 1
    low = None if r.minimum is None else r.minimum * scale + (1 if r.exclusive_minimum else 0)
    high = None if r.maximum is None else r.maximum * scale
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=None if low is None else int(low),
        max_value=None if high is None else int(high),
        initial=initial,
        required=False,
    )


RunForm.base_fields.update({r.name: rule_form_field(r) for r in RULES_SHOWN})
RunForm.base_fields.update(
    {
        weight_field_name(name): forms.FloatField(
            label=WEIGHT_LABELS[name],
            min_value=0,
            max_value=MAX_WEIGHT,
            required=False,
            widget=forms.NumberInput(attrs={"step": "0.05"}),
        )
        for name in WEIGHT_NAMES
    }
)
RULE_NAMES = frozenset(r.name for r in RULES_SHOWN) | {"problem"}


def run_form_initial(run: Any) -> dict[str, Any]:
    """A new run's form filled from an earlier run, to try again with other rules."""
    initial: dict[str, Any] = {
        "source": run.source,
        "kind": run.kind,
        "theme": run.theme.slug if run.theme else None,
        "alliance": run.pool_alliance.slug if run.pool_alliance else None,
        "call": run.pool_call_id,
        "pool_country": run.filters.get("country") or None,
        "pool_language": run.filters.get("language") or None,
        "pool_stage": run.filters.get("stage"),
        "problem": run.problem,
        "target_alliance": run.target_alliance.slug if run.target_alliance else None,
        "alliance_name": run.alliance_name,
        "method": run.method,
    }
    for name, value in (run.weights or {}).items():
        initial[weight_field_name(name)] = value
    percent = {r.name for r in RULES_SHOWN if r.percent}
    for name, value in run.rules.items():
        if name in percent and value is not None:
            value = round(value * 100)
        elif name == "pinned":
            value = pinned_text(value)
        initial[name] = value
    return initial


class RespondForm(forms.Form):
    """Accept, decline (saying why) or "not now". ``others``: the other members a decliner
    may name for a conflict, as (peer id, name shown); ``kind``: the run's kind, which the
    reasons' words follow (a pair's partner, a group, a team)."""

    response = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("accept", _("Accept")), ("decline", _("Decline")), ("not_now", _("Not now"))],
    )
    decline_reason = forms.ChoiceField(
        label=_("If you decline, why?"),
        choices=DeclineReason.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "Only the facilitator reads it; other members read that you are not joining. "
            "Only a conflict keeps you apart from the members you choose in later matchings."
        ),
    )
    conflict_with = forms.TypedMultipleChoiceField(
        label=_("The member or members you have a conflict with"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label=_("Anything to add (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only the facilitator reads it."),
    )

    def __init__(
        self,
        *args: Any,
        others: list[tuple[int, str]] | None = None,
        kind: str = RunKind.GROUPS,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        reasons = self.fields["decline_reason"]
        assert isinstance(reasons, forms.ChoiceField)
        reasons.choices = decline_reason_choices(kind)
        others = others or []
        field = self.fields["conflict_with"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = list(others)
        if not others:
            del self.fields["conflict_with"]

    def first_error(self) -> str | None:
        """Where the page takes the reader after a refused answer: the first error in the
        form's order (``__all__`` for the form's own), which takes the focus (``autofocus``:
        htmx focuses it in the answer it swaps in, a browser in the page it loads), so that
        on a phone the error shows rather than appearing off screen."""
        errors = self.errors
        return next((n for n in (NON_FIELD_ERRORS, *self.fields) if n in errors), None)


class ProposeForm(forms.Form):
    """The send step: until when peers answer, and how many acceptances confirm."""

    reply_by = forms.DateField(
        label=_("Peers answer by"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "Members who have not answered are reminded by e-mail a few days before. "
            "Empty: in two weeks; three months at most."
        ),
    )
    min_accepted = forms.IntegerField(
        label=_("Acceptances needed to confirm a proposal"),
        required=False,
        min_value=2,
        help_text=_(
            "Leave empty for the default: both members of a pair, the minimum group size of "
            "a learning group, more than half of a team."
        ),
    )


class ConfirmForm(forms.Form):
    alliance_name = forms.CharField(label=_("Name of the new learning alliance"), max_length=150)
    visibility = forms.ChoiceField(
        label=_("Who can see the alliance"),
        choices=ALLIANCE_VISIBILITY_CHOICES,
        initial=Visibility.ALLIANCE,
    )


class OpenCallForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    theme = forms.ModelChoiceField(
        empty_label="—", label=_("Theme"), queryset=Theme.objects.all(), to_field_name="slug"
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the call offers, whom it is for and what applicants commit to."),
    )
    closes_on = forms.DateField(
        label=_("Closes on"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty to keep it open."),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see it"),
        choices=[c for c in Visibility.choices if c[0] != Visibility.ALLIANCE],
        initial=Visibility.PLATFORM,
    )


class ApplicationForm(forms.Form):
    motivation = forms.CharField(
        label=_("Why you apply"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you hope to learn, and what you can share. The facilitator reads it."),
    )


class CallInviteForm(forms.Form):
    """Inviting a peer seen in the directory to apply to one of the viewer's open calls."""

    call = forms.ModelChoiceField(
        label=_("Open call"), queryset=OpenCall.objects.none(), empty_label="—"
    )

    def __init__(self, *args: Any, calls: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = calls  # type: ignore[attr-defined]


class ExcludedPairForm(forms.Form):
    peer_a = PickerField(PeerProfile.objects.none(), kind=PEERS, label=_("Peer"))
    peer_b = PickerField(PeerProfile.objects.none(), kind=PEERS, label=_("Never with"))
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[c for c in ExclusionReason.choices if c[0] != ExclusionReason.DECLINED],
        initial=ExclusionReason.CONFLICT,
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        peers = peers_visible_to(user).select_related("user").order_by("user__name", "id")
        self.fields["peer_a"].queryset = peers  # type: ignore[attr-defined]
        self.fields["peer_b"].queryset = peers  # type: ignore[attr-defined]


def pinned_text(pinned: list[list[int]]) -> str:
    """Pinned peers as the form writes them: a line of profile numbers per set."""
    return "\n".join(", ".join(str(i) for i in line) for line in pinned)
