"""Writing learning alliances: creating them, their members, priorities and stages."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from peerlearn.access.visibility import Visibility
from peerlearn.accounts.models import User
from peerlearn.alliances.models import (
    AllianceMembership,
    AllianceOrganisation,
    AlliancePriority,
    AllianceStage,
    LearningAlliance,
    MemberRole,
    StageChange,
)
from peerlearn.core.choices import PartnershipType
from peerlearn.core.mail import notify
from peerlearn.core.selectors import language_list_by_codes, theme_get
from peerlearn.initiatives.models import Initiative
from peerlearn.organisations.models import Organisation


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "alliance"
    slug, n = base, 2
    while LearningAlliance.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def alliance_create(
    *,
    name: str,
    theme: str,
    purpose: str,
    working_languages: Iterable[str],
    created_by: User | None = None,
    type: str = PartnershipType.TYPE_II,
    stage: int = AllianceStage.PRE_ASSESSMENT,
    starts_on: date | None = None,
    ends_on: date | None = None,
    visibility: str = Visibility.PLATFORM,
    funders: Iterable[Organisation] = (),
    initiative: Initiative | None = None,
    slug: str = "",
) -> LearningAlliance:
    """Create an alliance; whoever creates it becomes its first facilitator."""
    if LearningAlliance.objects.filter(name__iexact=name.strip()).exists():
        raise ValidationError({"name": [_("An alliance with this name exists: choose another.")]})
    alliance = LearningAlliance(
        name=name.strip(),
        slug=slug or _unique_slug(name),
        theme=theme_get(slug=theme),
        purpose=purpose.strip(),
        type=type,
        stage=stage,
        starts_on=starts_on,
        ends_on=ends_on,
        visibility=visibility,
        initiative=initiative,
    )
    languages = language_list_by_codes(codes=working_languages, field="working_languages")
    alliance.full_clean()
    alliance.save()
    alliance.working_languages.set(languages)
    alliance.funders.set(list(funders))
    StageChange.objects.create(
        alliance=alliance, from_stage=None, to_stage=stage, changed_by=created_by
    )
    if created_by is not None:
        alliance_member_add(alliance=alliance, user=created_by, role=MemberRole.FACILITATOR)
    return alliance


@transaction.atomic
def alliance_member_add(
    *, alliance: LearningAlliance, user: User, role: str, joined_on: date | None = None
) -> AllianceMembership:
    """Add a person; their organisation joins the alliance with them if it had not."""
    if alliance.memberships.filter(user=user).exists():
        raise ValidationError({"user": [_("%(name)s is already a member.") % {"name": user}]})
    if role == MemberRole.PEER and not hasattr(user, "peer_profile"):
        raise ValidationError(
            {"role": [_("Only people with a peer profile can join as peer learners.")]}
        )
    membership = AllianceMembership(alliance=alliance, user=user, role=role, joined_on=joined_on)
    membership.full_clean()
    membership.save()
    if role in (MemberRole.PEER, MemberRole.RESOURCE) and user.organisation_id:
        AllianceOrganisation.objects.get_or_create(
            alliance=alliance,
            organisation_id=user.organisation_id,
            defaults={"joined_on": joined_on},
        )
    return membership


def alliance_organisation_add(
    *, alliance: LearningAlliance, organisation: Organisation, joined_on: date | None = None
) -> AllianceOrganisation:
    membership, _ = AllianceOrganisation.objects.get_or_create(
        alliance=alliance, organisation=organisation, defaults={"joined_on": joined_on}
    )
    return membership


def alliance_priority_add(
    *, alliance: LearningAlliance, title: str, description: str = ""
) -> AlliancePriority:
    priority = AlliancePriority(
        alliance=alliance,
        title=title.strip(),
        description=description.strip(),
        position=alliance.priorities.count(),
    )
    priority.full_clean()
    priority.save()
    return priority


@transaction.atomic
def alliance_stage_change(
    *,
    alliance: LearningAlliance,
    stage: int,
    changed_by: User | None,
    note: str = "",
    site_url: str = "",
    tell_members: bool = True,
) -> LearningAlliance:
    """Move an alliance to another stage of the Learning Guide, record who and why, and tell
    its members.

    Stages may be revisited (learning is not linear, case 5), but not skipped forward by more
    than one step, so each stage's work is at least opened. The reason is required: the
    stage history is the alliance's record of why it moved."""
    valid = {s.value for s in AllianceStage}
    if stage not in valid:
        raise ValidationError({"stage": [_("Choose one of the Learning Guide's stages.")]})
    if stage == alliance.stage:
        raise ValidationError({"stage": [_("The alliance is already at this stage.")]})
    if not note.strip():
        raise ValidationError(
            {
                "note": [
                    _(
                        "Say why the alliance moves now: what was achieved, or why it "
                        "returns to an earlier stage."
                    )
                ]
            }
        )
    if stage > alliance.stage + 1:
        raise ValidationError(
            {
                "stage": [
                    _("Move forward one stage at a time: next is “%(next)s”.")
                    % {"next": AllianceStage(alliance.stage + 1).label}
                ]
            }
        )
    StageChange.objects.create(
        alliance=alliance,
        from_stage=alliance.stage,
        to_stage=stage,
        changed_by=changed_by,
        note=note.strip(),
    )
    moved_from = alliance.stage
    alliance.stage = stage
    alliance.save(update_fields=["stage", "updated_at"])
    if not tell_members:
        return alliance
    members = [
        m.user
        for m in alliance.memberships.select_related("user")
        if changed_by is None or m.user_id != changed_by.id
    ]
    notify(
        members,
        "alliances/email/stage_changed",
        {
            "alliance": alliance.name,
            "stage": AllianceStage(stage).label,
            "forward": stage > moved_from,
            "note": note.strip(),
            "by": changed_by.name if changed_by is not None else "",
            "url": site_url + reverse("alliances:detail", args=[alliance.slug]),
        },
    )
    return alliance
