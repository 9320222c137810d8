"""Web forms for matchings. They parse input; the services decide what is valid."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peerlearn.access.alliances import alliances_managed_by
from peerlearn.access.base import Viewer
from peerlearn.access.matching import open_calls_managed_by
from peerlearn.access.peers import peers_visible_to
from peerlearn.access.visibility import Visibility
from peerlearn.accounts.models import User
from peerlearn.alliances.models import LearningAlliance
from peerlearn.core.models import Country, Language, Theme
from peerlearn.matchmaking.models import ExclusionReason, OpenCall, PoolSource, RunKind
from peerlearn.matchmaking.services import RULE_DEFAULTS
from peerlearn.peers.models import PeerProfile, ReformStage

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
        label=_("Theme"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        required=False,
        help_text=_("The pool's theme; for other pools, the theme of the alliance it creates."),
    )
    alliance = forms.ModelChoiceField(
        label=_("Alliance whose candidates are matched"),
        queryset=LearningAlliance.objects.none(),
        to_field_name="slug",
        required=False,
        help_text=_("Its peer learners, resource peers and those who raised challenges in it."),
    )
    call = forms.ModelChoiceField(
        label=_("Open call whose applicants are matched"),
        queryset=OpenCall.objects.none(),
        required=False,
    )
    pool_country = forms.ModelChoiceField(
        label=_("Only peers from this country"),
        queryset=Country.objects.all(),
        to_field_name="code",
        required=False,
    )
    pool_language = forms.ModelChoiceField(
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
    min_size = forms.IntegerField(
        label=_("Smallest group"),
        min_value=2,
        max_value=100,
        required=False,
        help_text=_("Leave both sizes empty for 10–12, or smaller groups in a small pool."),
    )
    max_size = forms.IntegerField(
        label=_("Largest group"), min_value=2, max_value=100, required=False
    )
    same_stage = forms.BooleanField(
        label=_("Same stage of the reform cycle in each group"), required=False
    )
    provider_capacity = forms.IntegerField(
        label=_("Seekers each provider can help"),
        min_value=1,
        max_value=20,
        initial=1,
        required=False,
    )
    different_organisation = forms.BooleanField(
        label=_("Pair peers from different organisations only"), initial=True, required=False
    )
    problem = forms.CharField(
        label=_("The reform problem"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a team: the hindrance the team is assembled around."),
    )
    size = forms.IntegerField(
        label=_("Team size"), min_value=2, max_value=50, initial=5, required=False
    )
    country = forms.ModelChoiceField(
        label=_("Keep the team inside one country"),
        queryset=Country.objects.all(),
        to_field_name="code",
        required=False,
    )
    # Rules for groups and teams
    common_language = forms.BooleanField(
        label=_("A working language everyone shares"), initial=True, required=False
    )
    min_countries = forms.IntegerField(
        label=_("At least this many countries"),
        min_value=1,
        max_value=50,
        initial=1,
        required=False,
    )
    max_per_org = forms.IntegerField(
        label=_("At most this many peers from one organisation"),
        min_value=1,
        max_value=50,
        required=False,
    )
    max_gender_share = forms.IntegerField(
        label=_("At most this share of one gender (%)"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_("Applied where the pool allows it; peers who state no gender are not counted."),
    )
    min_senior = forms.IntegerField(
        label=_("At least this many senior peers (director or above)"),
        min_value=0,
        max_value=20,
        initial=0,
        required=False,
    )
    pinned = forms.CharField(
        label=_("Keep these peers together"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One line per set, peers by profile number (12, 57) or the address of their "
            "profile page. Groups: each line stays in one group. Pairs: a seeker, then a "
            "provider. Team: every peer listed is in it."
        ),
    )
    # What confirmed proposals become
    target_alliance = forms.ModelChoiceField(
        label=_("Add confirmed members to this alliance"),
        queryset=LearningAlliance.objects.none(),
        to_field_name="slug",
        required=False,
    )
    alliance_name = forms.CharField(
        label=_("Or name the new learning alliance"),
        max_length=150,
        required=False,
        help_text=_("Each confirmed group becomes its own alliance, numbered after this name."),
    )
    # One token per form shown: the same form sent twice starts one matching.
    token = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        managed = alliances_managed_by(user).select_related("theme").order_by("name")
        self.fields["alliance"].queryset = managed  # type: ignore[attr-defined]
        self.fields["target_alliance"].queryset = managed  # type: ignore[attr-defined]
        self.fields["call"].queryset = open_calls_managed_by(user).order_by("-created_at")  # type: ignore[attr-defined]
        self.fields["token"].initial = uuid.uuid4().hex

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
        for name in RULE_DEFAULTS[kind]:
            value = d.get(name)
            if name == "max_gender_share" and value is not None:
                value = value / 100
            elif name == "country":
                value = value.code if value else ""
            rules[name] = value
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
        }


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
    }
    for name, value in run.rules.items():
        if name == "max_gender_share" and value is not None:
            value = round(value * 100)
        elif name == "pinned":
            value = pinned_text(value)
        initial[name] = value
    return initial


class RespondForm(forms.Form):
    response = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
    )
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only the facilitator reads it."),
    )


class ConfirmForm(forms.Form):
    alliance_name = forms.CharField(label=_("Name of the new learning alliance"), max_length=150)
    visibility = forms.ChoiceField(
        label=_("Who can see the alliance"),
        choices=Visibility.choices,
        initial=Visibility.ALLIANCE,
    )


class OpenCallForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.all(), to_field_name="slug"
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the call offers, whom it is for and what applicants commit to."),
    )
    closes_on = forms.DateField(
        label=_("Closes on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
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


class ExcludedPairForm(forms.Form):
    peer_a = forms.ModelChoiceField(label=_("Peer"), queryset=PeerProfile.objects.none())
    peer_b = forms.ModelChoiceField(label=_("Never with"), queryset=PeerProfile.objects.none())
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
