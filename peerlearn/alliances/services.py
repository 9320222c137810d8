"""Writing learning alliances: creating them, their members, priorities and stages."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from auditlog.context import auditlog_disabled
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peerlearn.access.visibility import Visibility
from peerlearn.accounts.models import User
from peerlearn.alliances.checklists import QUESTIONS_BY_KEY, questions_for
from peerlearn.alliances.invitations import invitation_token
from peerlearn.alliances.models import (
    AllianceInvitation,
    AllianceMembership,
    AllianceOrganisation,
    AlliancePriority,
    AllianceStage,
    ChecklistAnswer,
    InvitationSource,
    LearningAlliance,
    MemberRole,
    RiskNote,
    StageChange,
)
from peerlearn.audit.models import AuditAction
from peerlearn.audit.services import audit_record
from peerlearn.core.choices import PartnershipType
from peerlearn.core.mail import notify, notify_addresses
from peerlearn.core.selectors import language_list_by_codes, theme_get
from peerlearn.core.slugs import slug_of
from peerlearn.initiatives.models import Initiative
from peerlearn.organisations.models import Organisation


def _unique_slug(name: str) -> str:
    base = slug_of(name)[:70] or "alliance"
    slug, n = base, 2
    while LearningAlliance.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def alliance_closed_problems(alliance: LearningAlliance, *, field: str) -> dict[str, list[str]]:
    """What refuses a change that only a running alliance takes (a stage move, a new member
    or invitation), keyed by ``field``: nothing while the alliance runs; once it is closed,
    when it closed and what to do."""
    if alliance.closed_on is None:
        return {}
    return {
        field: [
            _("%(alliance)s was closed on %(date)s: a facilitator reopens it from its page first.")
            % {
                "alliance": alliance.name,
                "date": date_format(alliance.closed_on, "DATE_FORMAT"),
            }
        ]
    }


def alliance_name_problems(
    *, name: str, alliance: LearningAlliance | None = None
) -> dict[str, list[str]]:
    """Why ``name`` cannot name a new alliance (or ``alliance``, renamed): another has it,
    whatever the case. The service and the form both ask, so the error shows with the
    form's others."""
    others = LearningAlliance.objects.filter(name__iexact=name.strip())
    if alliance is not None:
        others = others.exclude(id=alliance.id)
    if name.strip() and others.exists():
        return {"name": [_("An alliance with this name exists: choose another.")]}
    return {}


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
    problems = alliance_name_problems(name=name)
    if problems:
        raise ValidationError(problems)
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
    _record(alliance, created_by, "created", action=AuditAction.CREATE)
    if created_by is not None:
        alliance_member_add(
            alliance=alliance, user=created_by, role=MemberRole.FACILITATOR, by=created_by
        )
    return alliance


@transaction.atomic
def alliance_member_add(
    *,
    alliance: LearningAlliance,
    user: User,
    role: str,
    joined_on: date | None = None,
    by: User | None = None,
) -> AllianceMembership:
    """Add a person; their organisation joins the alliance with them if it had not."""
    if problems := alliance_closed_problems(alliance, field="user"):
        raise ValidationError(problems)
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
    _record(alliance, by, "member_added", user=user.id, role=role)
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


def stage_move_problems(*, alliance: LearningAlliance, stage: int) -> dict[str, list[str]]:
    """Why the alliance cannot move to ``stage`` (nothing when it can): it is closed, the
    stage is not one of the guide's, it is the current one, or it skips ahead."""
    if problems := alliance_closed_problems(alliance, field="stage"):
        return problems
    if stage not in AllianceStage.values:
        return {"stage": [_("Choose one of the Learning Guide's stages.")]}
    if stage == alliance.stage:
        return {"stage": [_("The alliance is already at this stage.")]}
    if stage > alliance.stage + 1:
        return {
            "stage": [
                _("Move forward one stage at a time: next is “%(next)s”.")
                % {"next": AllianceStage(alliance.stage + 1).label}
            ]
        }
    return {}


@transaction.atomic
def alliance_stage_change(
    *,
    alliance: LearningAlliance,
    stage: int,
    changed_by: User | None,
    note: str = "",
    site_url: str = "",
    tell_members: bool = True,
    open_confirmed: bool = True,
) -> LearningAlliance:
    """Move an alliance to another stage of the Learning Guide, record who and why, and tell
    its members.

    Stages may be revisited (learning is not linear, case 5), but not skipped forward by more
    than one step, so each stage's work is at least opened. The reason is required: the
    stage history is the alliance's record of why it moved.

    Moving on while questions of the current stage are still open needs
    ``open_confirmed``: pages and the API ask the facilitator to confirm it."""
    if problems := stage_move_problems(alliance=alliance, stage=stage):
        raise ValidationError(problems)
    # The reason and the open questions are told in one round.
    errors: dict[str, list[str]] = {}
    if not note.strip():
        errors["note"] = [
            _(
                "Say why the alliance moves now: what was achieved, or why it returns to an "
                "earlier stage."
            )
        ]
    open_keys = checklist_open_questions(alliance=alliance)
    if stage > alliance.stage and open_keys and not open_confirmed:
        errors["confirm_open"] = [
            ngettext(
                "%(count)d question of this stage is still open: answer it, or "
                "confirm that the alliance moves on without it.",
                "%(count)d questions of this stage are still open: answer them, or "
                "confirm that the alliance moves on without them.",
                len(open_keys),
            )
            % {"count": len(open_keys)}
        ]
    if errors:
        raise ValidationError(errors)
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
    moved: dict[str, object] = {
        "from": moved_from,
        "to": stage,
        "open": len(open_keys) if stage > moved_from else 0,
    }
    _record(alliance, changed_by, "stage_moved", extra=moved)
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


# --- the record of changes ---------------------------------------------------------------


def _record(
    alliance: LearningAlliance,
    actor: User | None,
    event: str,
    *,
    action: AuditAction = AuditAction.UPDATE,
    extra: dict[str, object] | None = None,
    **detail: object,
) -> None:
    """One entry in the audit trail for a change to the alliance, shown on its history
    (ids and codes only, never free text). Nothing is recorded where django-auditlog is
    switched off (seeding the demo is nobody's action)."""
    if auditlog_disabled.get():
        return
    audit_record(
        action=action,
        actor=actor,
        object_type="alliances.learningalliance",
        object_id=alliance.id,
        detail={"alliance": alliance.id, "event": event, **(extra or {}), **detail},
    )


# --- the alliance itself ---------------------------------------------------------------

#: Fields :func:`alliance_update` may change.
EDITABLE_FIELDS = (
    "name",
    "theme",
    "type",
    "purpose",
    "working_languages",
    "starts_on",
    "ends_on",
    "visibility",
    "initiative",
    "funders",
)


@transaction.atomic
def alliance_update(
    *, alliance: LearningAlliance, by: User | None, **changes: object
) -> LearningAlliance:
    """Change an alliance's description; ``changes`` holds only the fields to change (theme
    by slug, working languages by ISO code, funders as organisations)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    changed: list[str] = []
    if "name" in changes:
        name = str(changes["name"]).strip()
        problems = alliance_name_problems(name=name, alliance=alliance)
        if problems:
            raise ValidationError(problems)
        if name != alliance.name:
            alliance.name = name
            changed.append("name")
    if "theme" in changes:
        theme = theme_get(slug=str(changes["theme"]))
        if theme.id != alliance.theme_id:
            alliance.theme = theme
            changed.append("theme")
    for f in ("type", "purpose", "starts_on", "ends_on", "visibility", "initiative"):
        if f in changes:
            value = changes[f]
            if isinstance(value, str) and f == "purpose":
                value = value.strip()
            if getattr(alliance, f) != value:
                setattr(alliance, f, value)
                changed.append(f)
    alliance.full_clean()
    alliance.save()
    if "working_languages" in changes:
        languages = language_list_by_codes(
            codes=changes["working_languages"],  # type: ignore[arg-type]
            field="working_languages",
        )
        if {lang.pk for lang in languages} != set(
            alliance.working_languages.values_list("pk", flat=True)
        ):
            alliance.working_languages.set(languages)
            changed.append("working_languages")
    if "funders" in changes:
        funders = list(changes["funders"])  # type: ignore[call-overload]
        if {o.id for o in funders} != set(alliance.funders.values_list("id", flat=True)):
            alliance.funders.set(funders)
            changed.append("funders")
    if changed:
        _record(alliance, by, "updated", fields=changed)
    return alliance


# --- members -------------------------------------------------------------------------------


def _facilitator_count(alliance: LearningAlliance) -> int:
    return alliance.memberships.filter(role=MemberRole.FACILITATOR).count()


@transaction.atomic
def alliance_member_role_set(
    *, membership: AllianceMembership, role: str, by: User | None
) -> AllianceMembership:
    """Give a member another role. The last facilitator keeps the role until another is
    named: an alliance always has someone to run it."""
    if role not in MemberRole.values:
        raise ValidationError({"role": [_("Choose one of the roles.")]})
    if role == membership.role:
        return membership
    alliance = membership.alliance
    if membership.role == MemberRole.FACILITATOR and _facilitator_count(alliance) == 1:
        raise ValidationError(
            {"role": [_("This is the alliance's only facilitator: name another one first.")]}
        )
    if role == MemberRole.PEER and not hasattr(membership.user, "peer_profile"):
        raise ValidationError(
            {"role": [_("Only people with a peer profile can join as peer learners.")]}
        )
    before = membership.role
    membership.role = role
    membership.full_clean()
    membership.save()
    _record(alliance, by, "role_changed", user=membership.user_id, role=role, before=before)
    return membership


@transaction.atomic
def alliance_member_remove(*, membership: AllianceMembership, by: User | None) -> None:
    """Take someone out of the alliance (not its last facilitator)."""
    alliance = membership.alliance
    if membership.role == MemberRole.FACILITATOR and _facilitator_count(alliance) == 1:
        raise ValidationError(
            {"member": [_("This is the alliance's only facilitator: name another one first.")]}
        )
    user_id = membership.user_id
    membership.delete()
    _record(alliance, by, "member_removed", action=AuditAction.DELETE, user=user_id)


@transaction.atomic
def alliance_member_leave(
    *, membership: AllianceMembership, successor: AllianceMembership | None = None
) -> None:
    """A member leaves. The last facilitator names a member who takes over as facilitator."""
    alliance = membership.alliance
    successor_id = None
    if membership.role == MemberRole.FACILITATOR and _facilitator_count(alliance) == 1:
        if (
            successor is None
            or successor.alliance_id != alliance.id
            or successor.id == membership.id
        ):
            raise ValidationError(
                {
                    "successor": [
                        _(
                            "You are the alliance's only facilitator: name the member who "
                            "takes over before you leave."
                        )
                    ]
                }
            )
        successor.role = MemberRole.FACILITATOR
        successor.save(update_fields=["role"])
        successor_id = successor.user_id
        _record(
            alliance,
            membership.user,
            "role_changed",
            user=successor.user_id,
            role=MemberRole.FACILITATOR,
        )
    user = membership.user
    membership.delete()
    _record(
        alliance,
        user,
        "member_left",
        action=AuditAction.DELETE,
        user=user.id,
        successor=successor_id,
    )


def _invitation_email(invitation: AllianceInvitation, site_url: str, language: str = "") -> None:
    from django.conf import settings

    inviter = invitation.invited_by
    notify_addresses(
        [(invitation.email, language or settings.LANGUAGE_CODE, invitation.name)],
        "alliances/email/invitation",
        {
            "alliance": invitation.alliance.name,
            "purpose": invitation.alliance.purpose,
            "role": MemberRole(invitation.role).label,
            "by": inviter.name if inviter is not None else "",
            "url": site_url
            + reverse("alliances:invitation", args=[invitation_token(invitation.id)]),
        },
    )


@transaction.atomic
def alliance_member_invite_user(
    *, alliance: LearningAlliance, user: User, role: str, by: User | None, site_url: str = ""
) -> AllianceMembership:
    """Add someone from the directory: they become a member at once and are told by e-mail."""
    membership = alliance_member_add(alliance=alliance, user=user, role=role, by=by)
    notify(
        [user],
        "alliances/email/added",
        {
            "alliance": alliance.name,
            "role": MemberRole(role).label,
            "by": by.name if by is not None else "",
            "url": site_url + reverse("alliances:detail", args=[alliance.slug]),
        },
    )
    return membership


def _normal_email(email: str) -> str:
    return email.strip().lower()


@transaction.atomic
def alliance_invite_email(
    *,
    alliance: LearningAlliance,
    email: str,
    name: str = "",
    role: str = MemberRole.PEER,
    by: User | None,
    site_url: str = "",
    source: str = InvitationSource.EMAIL,
) -> AllianceInvitation | None:
    """Invite someone by e-mail, with a signed link to accept (after signing up, for someone
    new to the platform). Returns ``None`` (and sends nothing) when the address already has
    an open invitation to this alliance or belongs to a member: nobody is e-mailed twice."""
    from django.core.validators import validate_email

    if problems := alliance_closed_problems(alliance, field="email"):
        raise ValidationError(problems)
    email = _normal_email(email)
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"email": [_("Enter an e-mail address such as name@example.org.")]}
        ) from None
    if role not in MemberRole.values:
        raise ValidationError({"role": [_("Choose one of the roles.")]})
    if alliance.memberships.filter(user__email__iexact=email).exists():
        return None
    if alliance.invitations.filter(email=email, accepted_at__isnull=True).exists():
        return None
    invitation = AllianceInvitation(
        alliance=alliance,
        email=email,
        name=name.strip()[:200],
        role=role,
        source=source,
        invited_by=by,
    )
    invitation.full_clean()
    invitation.save()
    _record(alliance, by, "invited", invitation=invitation.id, role=role, source=source)
    _invitation_email(invitation, site_url)
    return invitation


@transaction.atomic
def alliance_invite_peer(
    *,
    alliance: LearningAlliance,
    peer_user: User,
    role: str = MemberRole.PEER,
    by: User | None,
    site_url: str = "",
) -> AllianceInvitation:
    """Invite someone seen in the directory (from their profile): the invitation goes to
    their address on the platform, which the facilitator never reads (the list of open
    invitations names them instead). A member, or someone already invited, is told apart."""
    if problems := alliance_closed_problems(alliance, field="alliance"):
        raise ValidationError(problems)
    if alliance.memberships.filter(user=peer_user).exists():
        raise ValidationError(
            {
                "alliance": [
                    _("%(name)s is already a member of %(alliance)s.")
                    % {"name": peer_user.name, "alliance": alliance.name}
                ]
            }
        )
    email = _normal_email(peer_user.email or "")
    open_invitation = alliance.invitations.filter(email=email, accepted_at__isnull=True).first()
    if open_invitation is not None:
        raise ValidationError(
            {
                "alliance": [
                    _(
                        "%(name)s was already invited to %(alliance)s on %(date)s and has not "
                        "answered yet."
                    )
                    % {
                        "name": peer_user.name,
                        "alliance": alliance.name,
                        "date": date_format(open_invitation.created_at, "SHORT_DATE_FORMAT"),
                    }
                ]
            }
        )
    if role not in (MemberRole.PEER, MemberRole.RESOURCE):
        raise ValidationError({"role": [_("Invite a peer as peer learner or resource peer.")]})
    invitation = alliance_invite_email(
        alliance=alliance,
        email=email,
        name=peer_user.name,
        role=role,
        by=by,
        site_url=site_url,
        source=InvitationSource.DIRECTORY,
    )
    if invitation is None:  # a concurrent invitation got there first
        raise ValidationError(
            {"alliance": [_("%(name)s is already invited.") % {"name": peer_user.name}]}
        )
    return invitation


def invitation_accept_problems(
    *, invitation: AllianceInvitation, user: User
) -> dict[str, list[str]]:
    """What keeps ``user`` from accepting now, under ``invitation`` (nothing when they can):
    an accepted invitation, a closed alliance, or a peer learner's missing profile
    (``peer_profile``: the page then links to the profile)."""
    if invitation.accepted_at is not None:
        return {"invitation": [_("This invitation was accepted already.")]}
    alliance = invitation.alliance
    if problems := alliance_closed_problems(alliance, field="invitation"):
        return problems
    if (
        invitation.role == MemberRole.PEER
        and not hasattr(user, "peer_profile")
        and not alliance.memberships.filter(user=user).exists()
    ):
        return {
            "peer_profile": [
                _("You are invited as a peer learner: create your peer profile first, then accept.")
            ]
        }
    return {}


@transaction.atomic
def invitation_accept(*, invitation: AllianceInvitation, user: User) -> AllianceMembership:
    """The invited person (signed in, perhaps just signed up) accepts: the membership is made."""
    from django.utils import timezone

    if problems := invitation_accept_problems(invitation=invitation, user=user):
        raise ValidationError(problems)
    alliance = invitation.alliance
    existing = alliance.memberships.filter(user=user).first()
    if existing is not None:
        membership = existing
    else:
        membership = alliance_member_add(
            alliance=alliance, user=user, role=invitation.role, by=user
        )
    invitation.accepted_by = user
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_by", "accepted_at"])
    _record(alliance, user, "invitation_accepted", invitation=invitation.id, user=user.id)
    return membership


@transaction.atomic
def invitation_withdraw(*, invitation: AllianceInvitation, by: User | None) -> None:
    alliance = invitation.alliance
    if invitation.accepted_at is not None:
        raise ValidationError({"invitation": [_("This invitation was accepted already.")]})
    invitation_id = invitation.id
    invitation.delete()
    _record(
        alliance, by, "invitation_withdrawn", action=AuditAction.DELETE, invitation=invitation_id
    )


# --- priorities ----------------------------------------------------------------------------


def priority_problems(
    *, alliance: LearningAlliance, title: str, priority: AlliancePriority | None = None
) -> dict[str, list[str]]:
    """Why a priority reform area cannot take ``title`` (nothing when it can): it is empty,
    or another of the alliance's priorities has it (whatever its case)."""
    title = title.strip()
    if not title:
        return {"title": [_("Name the priority reform area.")]}
    others = alliance.priorities.filter(title__iexact=title)
    if priority is not None:
        others = others.exclude(id=priority.id)
    if others.exists():
        return {
            "title": [
                _("“%(title)s” is already one of the alliance's priorities: give another name.")
                % {"title": title}
            ]
        }
    return {}


def _priority_fields(
    alliance: LearningAlliance,
    title: str,
    description: str,
    priority: AlliancePriority | None = None,
) -> tuple[str, str]:
    if problems := priority_problems(alliance=alliance, title=title, priority=priority):
        raise ValidationError(problems)
    return title.strip(), description.strip()


@transaction.atomic
def alliance_priority_create(
    *, alliance: LearningAlliance, title: str, description: str = "", by: User | None
) -> AlliancePriority:
    title, description = _priority_fields(alliance, title, description)
    priority = alliance_priority_add(alliance=alliance, title=title, description=description)
    _record(alliance, by, "priority_added", priority=priority.id)
    return priority


@transaction.atomic
def alliance_priority_update(
    *, priority: AlliancePriority, title: str, description: str = "", by: User | None
) -> AlliancePriority:
    priority.title, priority.description = _priority_fields(
        priority.alliance, title, description, priority
    )
    priority.full_clean()
    priority.save(update_fields=["title", "description"])
    _record(priority.alliance, by, "priority_edited", priority=priority.id)
    return priority


@transaction.atomic
def alliance_priority_move(
    *, priority: AlliancePriority, direction: str, by: User | None
) -> AlliancePriority:
    """Move a priority one place ``up`` or ``down`` in the alliance's order."""
    if direction not in ("up", "down"):
        raise ValidationError({"direction": [_("Move it up or down.")]})
    ordered = list(priority.alliance.priorities.order_by("position", "id"))
    at = next(i for i, p in enumerate(ordered) if p.id == priority.id)
    to = at - 1 if direction == "up" else at + 1
    if 0 <= to < len(ordered):
        ordered[at], ordered[to] = ordered[to], ordered[at]
        for position, p in enumerate(ordered):
            if p.position != position:
                p.position = position
                p.save(update_fields=["position"])
        _record(priority.alliance, by, "priority_moved", priority=priority.id, position=to)
    priority.refresh_from_db()
    return priority


@transaction.atomic
def alliance_priority_delete(*, priority: AlliancePriority, by: User | None) -> None:
    alliance = priority.alliance
    priority_id = priority.id
    priority.delete()
    for position, p in enumerate(alliance.priorities.order_by("position", "id")):
        if p.position != position:
            p.position = position
            p.save(update_fields=["position"])
    _record(alliance, by, "priority_removed", action=AuditAction.DELETE, priority=priority_id)


# --- the Learning Guide's checklists ------------------------------------------------------


def checklist_open_questions(*, alliance: LearningAlliance, stage: int | None = None) -> list[str]:
    """The keys of the questions of ``stage`` (the alliance's current one) with no answer."""
    stage = alliance.stage if stage is None else stage
    answered = set(alliance.checklist_answers.exclude(answer="").values_list("question", flat=True))
    return [q.key for q in questions_for(stage) if q.key not in answered]


@transaction.atomic
def checklist_answers_save(
    *, alliance: LearningAlliance, answers: dict[str, str], by: User | None
) -> list[str]:
    """Store the alliance's answers (question key → text; an empty text clears the answer).
    Returns the keys that changed."""
    unknown = [key for key in answers if key not in QUESTIONS_BY_KEY]
    if unknown:
        raise ValidationError(
            {"answers": [_("Unknown question: %(key)s.") % {"key": ", ".join(sorted(unknown))}]}
        )
    existing = {a.question: a for a in alliance.checklist_answers.all()}
    changed: list[str] = []
    for key, text in answers.items():
        text = (text or "").strip()
        if len(text) > 5000:
            raise ValidationError({key: [_("Keep the answer under 5,000 characters.")]})
        current = existing.get(key)
        if current is None and not text:
            continue
        if current is not None and current.answer == text:
            continue
        if current is None:
            ChecklistAnswer.objects.create(
                alliance=alliance, question=key, answer=text, answered_by=by
            )
        elif not text:
            current.delete()
        else:
            current.answer = text
            current.answered_by = by
            current.save(update_fields=["answer", "answered_by", "updated_at"])
        changed.append(key)
    if changed:
        _record(alliance, by, "checklist_answered", questions=changed)
    return changed


# --- political context and risks -----------------------------------------------------------


def _risk_fields(kind: str, title: str) -> None:
    from peerlearn.alliances.models import RiskKind

    if kind not in RiskKind.values:
        raise ValidationError({"kind": [_("Choose the kind of risk.")]})
    if not title.strip():
        raise ValidationError({"title": [_("Give the note a short title.")]})


@transaction.atomic
def risk_note_create(
    *, alliance: LearningAlliance, kind: str, title: str, body: str = "", by: User | None
) -> RiskNote:
    _risk_fields(kind, title)
    note = RiskNote(
        alliance=alliance, kind=kind, title=title.strip(), body=body.strip(), written_by=by
    )
    note.full_clean()
    note.save()
    _record(alliance, by, "risk_added", note=note.id, kind=kind)
    return note


@transaction.atomic
def risk_note_update(
    *, note: RiskNote, kind: str, title: str, body: str = "", by: User | None
) -> RiskNote:
    _risk_fields(kind, title)
    note.kind, note.title, note.body = kind, title.strip(), body.strip()
    note.full_clean()
    note.save()
    _record(note.alliance, by, "risk_edited", note=note.id, kind=kind)
    return note


@transaction.atomic
def risk_note_delete(*, note: RiskNote, by: User | None) -> None:
    alliance, note_id = note.alliance, note.id
    note.delete()
    _record(alliance, by, "risk_removed", action=AuditAction.DELETE, note=note_id)


# --- member organisations ----------------------------------------------------------------


@transaction.atomic
def alliance_organisation_join(
    *, alliance: LearningAlliance, organisation: Organisation, by: User | None
) -> AllianceOrganisation:
    """Add an organisation to the alliance (its people are then invited one by one)."""
    if alliance.member_organisations.filter(organisation=organisation).exists():
        raise ValidationError(
            {"organisation": [_("%(name)s is already in the alliance.") % {"name": organisation}]}
        )
    membership = alliance_organisation_add(alliance=alliance, organisation=organisation)
    _record(alliance, by, "organisation_added", organisation=organisation.id)
    return membership


@transaction.atomic
def alliance_organisation_leave(
    *, alliance: LearningAlliance, organisation: Organisation, by: User | None
) -> None:
    """Take an organisation out of the alliance (its people stay members until removed)."""
    deleted, _counts = alliance.member_organisations.filter(organisation=organisation).delete()
    if not deleted:
        raise ValidationError(
            {"organisation": [_("%(name)s is not in the alliance.") % {"name": organisation}]}
        )
    _record(
        alliance,
        by,
        "organisation_removed",
        action=AuditAction.DELETE,
        organisation=organisation.id,
    )
