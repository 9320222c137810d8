"""Learning alliances: the list, one alliance as far as the viewer may see inside it, and
moving it through the Learning Guide's stages."""

import base64
import binascii
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from peerlearn.access.alliances import (
    access_alliance_by_slug,
    access_alliance_checklist,
    access_alliance_for_manage,
    access_alliance_risks,
    access_invitation_by_token,
    access_invitation_for_manage,
    access_membership_for_manage,
    access_own_membership,
    access_priority_for_manage,
    access_risk_note,
    can_edit_checklist,
    people_invitable_by,
    require_alliance_creator,
)
from peerlearn.access.base import AccessDenied, Viewer
from peerlearn.access.initiatives import initiatives_visible_to
from peerlearn.alliances.closing import alliance_close, alliance_reopen
from peerlearn.alliances.cohort import cohort_import
from peerlearn.alliances.models import (
    AllianceInvitation,
    AlliancePriority,
    LearningAlliance,
    RiskNote,
)
from peerlearn.alliances.schemas import (
    AcceptIn,
    AllianceDetailOut,
    AllianceFiltersIn,
    AllianceIn,
    AllianceOut,
    AlliancePatchIn,
    AnswersIn,
    ChecklistOut,
    CloseIn,
    CohortIn,
    CohortOut,
    DirectoryIn,
    HistoryOut,
    InviteIn,
    InviteOut,
    LeaveIn,
    MemberAddIn,
    MemberOrganisationOut,
    MemberRoleIn,
    MembersOut,
    MoveIn,
    OrganisationIn,
    PersonOut,
    PriorityDetailOut,
    PriorityIn,
    ReopenIn,
    RiskNoteIn,
    RiskNoteOut,
    StageChangeIn,
)
from peerlearn.alliances.selectors import (
    AllianceFilters,
    alliance_checklist,
    alliance_detail,
    alliance_history,
    alliance_list,
    alliance_management,
    alliance_risk_notes,
    directory_search,
)
from peerlearn.alliances.services import (
    alliance_create,
    alliance_invite_email,
    alliance_member_invite_user,
    alliance_member_leave,
    alliance_member_remove,
    alliance_member_role_set,
    alliance_organisation_join,
    alliance_organisation_leave,
    alliance_priority_create,
    alliance_priority_delete,
    alliance_priority_move,
    alliance_priority_update,
    alliance_stage_change,
    alliance_update,
    checklist_answers_save,
    invitation_accept,
    invitation_withdraw,
    risk_note_create,
    risk_note_delete,
    risk_note_update,
)
from peerlearn.core.api import Id, Page, Slug, signed_in_user
from peerlearn.core.http import site_url
from peerlearn.core.schemas import ErrorOut, ValidationErrorOut
from peerlearn.initiatives.models import Initiative
from peerlearn.organisations.models import Organisation

router = Router(tags=["learning alliances"])


def _detail(user: Viewer, alliance: LearningAlliance) -> dict[str, Any]:
    detail = alliance_detail(user=user, alliance=alliance)
    a = detail.alliance
    members = detail.members
    languages = list(a.working_languages.all())
    funders = list(a.funders.all())
    organisations = list(a.member_organisations.all())
    return {
        "slug": a.slug,
        "name": a.name,
        "theme": a.theme,
        "type": a.type,
        "type_label": a.get_type_display(),
        "stage": a.stage,
        "stage_label": a.get_stage_display(),
        "visibility": a.visibility,
        "purpose": a.purpose,
        "working_languages": [language.code for language in languages],
        "funders": funders,
        "starts_on": a.starts_on,
        "ends_on": a.ends_on,
        "closed_on": a.closed_on,
        "closing_note": a.closing_note if detail.inside and a.closed_on else None,
        "member_count": len(detail.memberships),
        "organisation_count": len(organisations),
        "initiative": detail.initiative,
        "organisations": organisations,
        "members": [
            {
                "name": str(membership.user),
                "role": membership.role,
                "role_label": membership.get_role_display(),
                "organisation": membership.user.organisation,
                "peer_id": peer_id,
                "joined_on": membership.joined_on,
            }
            for membership, peer_id in members.shown
        ],
        "hidden_member_count": members.hidden_count,
        "priorities": list(a.priorities.all()),
        "stage_history": [
            {
                "from_stage": view.change.from_stage,
                "to_stage": view.change.to_stage,
                "to_stage_label": view.change.get_to_stage_display(),
                "changed_at": view.change.changed_at,
                "changed_by": view.changed_by,
                "note": view.note,
            }
            for view in detail.stage_history
        ],
        "challenges": detail.challenges,
        "you": {"inside": detail.inside, "can_manage": detail.can_manage},
    }


@router.get("", response=list[AllianceOut], summary="List learning alliances")
@paginate(Page)
def alliances(
    request: HttpRequest, filters: Query[AllianceFiltersIn]
) -> QuerySet[LearningAlliance]:
    """The alliances you may see."""
    qs = alliance_list(
        user=signed_in_user(request),
        filters=AllianceFilters(
            theme=filters.theme,
            stage=int(filters.stage) if filters.stage is not None else None,
            type=filters.type.value if filters.type else "",
            mine=filters.mine,
        ),
    )
    if filters.q:
        qs = qs.filter(name__icontains=filters.q)
    return qs


@router.get(
    "/{slug}", response={200: AllianceDetailOut, 404: ErrorOut}, summary="Get a learning alliance"
)
def alliance(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    """The alliance with its organisations, priorities and stage history, and the members
    and challenges you may see."""
    user = signed_in_user(request)
    return _detail(user, access_alliance_by_slug(user, slug))


@router.post(
    "/{slug}/stage",
    response={200: AllianceDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Move a learning alliance to another stage",
)
def alliance_stage(request: HttpRequest, slug: Slug, payload: StageChangeIn) -> dict[str, Any]:
    """For the alliance's facilitators. Stages may be revisited, but not skipped forward:
    each move is recorded with who made it and why."""
    user = signed_in_user(request)
    alliance = access_alliance_for_manage(user, slug)
    alliance_stage_change(
        alliance=alliance,
        stage=int(payload.stage),
        changed_by=user,
        note=payload.note,
        site_url=site_url(request),
        open_confirmed=payload.confirm_open_questions,
    )
    return _detail(user, alliance)


@router.post(
    "/{slug}/close",
    response={200: AllianceDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Close a learning alliance",
)
def alliance_close_endpoint(request: HttpRequest, slug: Slug, payload: CloseIn) -> dict[str, Any]:
    """For the alliance's facilitators, at any stage: it keeps its record and evidence, moves
    through no more stages and takes no new members until it is reopened. Members are told
    by e-mail."""
    user = signed_in_user(request)
    alliance = access_alliance_for_manage(user, slug)
    alliance_close(
        alliance=alliance,
        by=user,
        note=payload.note,
        site_url=site_url(request),
        open_confirmed=payload.confirm_open_questions,
    )
    return _detail(user, alliance)


@router.post(
    "/{slug}/reopen",
    response={200: AllianceDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Reopen a closed learning alliance",
)
def alliance_reopen_endpoint(request: HttpRequest, slug: Slug, payload: ReopenIn) -> dict[str, Any]:
    """For the alliance's facilitators: it runs again from the stage it closed at."""
    user = signed_in_user(request)
    alliance = access_alliance_for_manage(user, slug)
    alliance_reopen(alliance=alliance, by=user, note=payload.note, site_url=site_url(request))
    return _detail(user, alliance)


# --- creating and editing ------------------------------------------------------------------

WRITE_ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _initiative(user: Viewer, slug: str | None) -> Initiative | None:
    if not slug:
        return None
    initiative = initiatives_visible_to(user).filter(slug=slug).first()
    if initiative is None:
        raise ValidationError(
            {"initiative": [_("No such initiative: give the slug of one you can see.")]}
        )
    return initiative


def _funders(ids: list[int]) -> list[Organisation]:
    funders = list(Organisation.objects.filter(id__in=ids))
    if len(funders) != len(set(ids)):
        raise ValidationError({"funders": [_("Give the ids of existing organisations.")]})
    return funders


@router.post(
    "", response={201: AllianceDetailOut, **WRITE_ERRORS}, summary="Start a learning alliance"
)
def alliance_new(request: HttpRequest, payload: AllianceIn) -> Status[dict[str, Any]]:
    """For facilitators (and administrators): you become the alliance's first facilitator."""
    user = signed_in_user(request)
    require_alliance_creator(user)
    alliance = alliance_create(
        created_by=user,
        name=payload.name,
        theme=payload.theme,
        type=payload.type,
        purpose=payload.purpose,
        working_languages=payload.working_languages,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        visibility=payload.visibility,
        initiative=_initiative(user, payload.initiative),
        funders=_funders(payload.funders),
    )
    return Status(201, _detail(user, alliance))


@router.patch(
    "/{slug}", response={200: AllianceDetailOut, **WRITE_ERRORS}, summary="Edit a learning alliance"
)
def alliance_patch(request: HttpRequest, slug: Slug, payload: AlliancePatchIn) -> dict[str, Any]:
    """For the alliance's facilitators; only the fields given change."""
    user = signed_in_user(request)
    alliance = access_alliance_for_manage(user, slug)
    given = payload.model_dump(exclude_unset=True)
    if "initiative" in given:
        given["initiative"] = _initiative(user, given["initiative"])
    if "funders" in given:
        given["funders"] = _funders(given["funders"] or [])
    given = {k: v for k, v in given.items() if v is not None or k in NULLABLE}
    alliance_update(alliance=alliance, by=user, **given)
    return _detail(user, alliance)


NULLABLE = {"starts_on", "ends_on", "initiative"}


# --- members and invitations -----------------------------------------------------------


def _members(user: Viewer, alliance: LearningAlliance) -> dict[str, Any]:
    management = alliance_management(user=user, alliance=alliance)
    return {
        "members": [
            {
                "id": m.id,
                "user_id": m.user_id if named else None,
                "name": str(m.user) if named else None,
                "email": m.user.email if named else None,
                "organisation": m.user.organisation if named else None,
                "role": m.role,
                "role_label": m.get_role_display(),
                "joined_on": m.joined_on,
                "invited_as": invited or None,
            }
            for m, named, invited in management.rows
        ],
        "invitations": [_invitation(i) for i in management.invitations],
    }


def _invitation(i: AllianceInvitation) -> dict[str, Any]:
    return {
        "id": i.id,
        # Someone invited from the directory is reached at their address on the platform,
        # which the facilitator does not read.
        "email": i.address_shown,
        "name": i.name,
        "role": i.role,
        "source": i.source,
        "invited_by": str(i.invited_by) if i.invited_by is not None else None,
        "created_at": i.created_at,
    }


@router.get(
    "/{slug}/members",
    response={200: MembersOut, 403: ErrorOut, 404: ErrorOut},
    summary="An alliance's members and open invitations",
)
def alliance_members(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    """For the alliance's facilitators."""
    user = signed_in_user(request)
    return _members(user, access_alliance_for_manage(user, slug))


@router.get(
    "/{slug}/directory",
    response={200: list[PersonOut], 403: ErrorOut, 404: ErrorOut},
    summary="Find people to add to an alliance",
)
def alliance_directory(request: HttpRequest, slug: Slug, filters: Query[DirectoryIn]) -> list[Any]:
    """People from the directory who are not members yet, matching `q` (at most 20)."""
    user = signed_in_user(request)
    alliance = access_alliance_for_manage(user, slug)
    return [
        {"id": p.id, "name": str(p), "organisation": p.organisation}
        for p in directory_search(user=user, alliance=alliance, q=filters.q)
    ]


@router.post(
    "/{slug}/members",
    response={201: MembersOut, **WRITE_ERRORS},
    summary="Add someone from the directory",
)
def alliance_member_add(
    request: HttpRequest, slug: Slug, payload: MemberAddIn
) -> Status[dict[str, Any]]:
    """They become a member at once and are told by e-mail."""
    user = signed_in_user(request)
    alliance = access_alliance_for_manage(user, slug)
    person = people_invitable_by(user).filter(id=payload.user_id).first()
    if person is None:
        raise ValidationError({"user_id": [_("Choose someone from the directory.")]})
    alliance_member_invite_user(
        alliance=alliance, user=person, role=payload.role, by=user, site_url=site_url(request)
    )
    return Status(201, _members(user, alliance))


@router.patch(
    "/{slug}/members/{membership_id}",
    response={200: MembersOut, **WRITE_ERRORS},
    summary="Change a member's role",
)
def alliance_member_role(
    request: HttpRequest, slug: Slug, membership_id: Id, payload: MemberRoleIn
) -> dict[str, Any]:
    user = signed_in_user(request)
    membership = access_membership_for_manage(user, slug, membership_id)
    alliance_member_role_set(membership=membership, role=payload.role, by=user)
    return _members(user, membership.alliance)


@router.delete(
    "/{slug}/members/{membership_id}",
    response={200: MembersOut, **WRITE_ERRORS},
    summary="Remove a member",
)
def alliance_member_delete(request: HttpRequest, slug: Slug, membership_id: Id) -> dict[str, Any]:
    """Not the alliance's only facilitator."""
    user = signed_in_user(request)
    membership = access_membership_for_manage(user, slug, membership_id)
    alliance_member_remove(membership=membership, by=user)
    return _members(user, membership.alliance)


@router.post(
    "/{slug}/leave",
    response={204: None, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Leave an alliance",
)
def alliance_leave(request: HttpRequest, slug: Slug, payload: LeaveIn) -> Status[None]:
    """The only facilitator names the member who takes over."""
    user = signed_in_user(request)
    membership = access_own_membership(user, slug)
    successor = None
    if payload.successor_membership_id is not None:
        successor = membership.alliance.memberships.filter(
            id=payload.successor_membership_id
        ).first()
        if successor is None:
            raise ValidationError(
                {"successor_membership_id": [_("Name a member of the alliance.")]}
            )
    alliance_member_leave(membership=membership, successor=successor)
    return Status(204, None)


@router.post(
    "/{slug}/invitations",
    response={200: InviteOut, **WRITE_ERRORS},
    summary="Invite someone by e-mail",
)
def alliance_invite(request: HttpRequest, slug: Slug, payload: InviteIn) -> dict[str, Any]:
    """An e-mail with a signed link to sign up and join; nothing is sent to a member, or to
    an address already invited."""
    user = signed_in_user(request)
    alliance = access_alliance_for_manage(user, slug)
    invitation = alliance_invite_email(
        alliance=alliance,
        email=payload.email,
        name=payload.name,
        role=payload.role,
        by=user,
        site_url=site_url(request),
    )
    return {
        "sent": invitation is not None,
        "invitation": _invitation(invitation) if invitation is not None else None,
    }


@router.post(
    "/{slug}/invitations/import",
    response={200: CohortOut, **WRITE_ERRORS},
    summary="Invite a cohort from a CSV or Excel file",
)
def alliance_cohort(request: HttpRequest, slug: Slug, payload: CohortIn) -> dict[str, Any]:
    """Every row is checked first; with any error (422, each naming its row and column
    under `file`), nobody is invited."""
    user = signed_in_user(request)
    alliance = access_alliance_for_manage(user, slug)
    try:
        data = base64.b64decode(payload.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({"content_base64": [_("Encode the file in base64.")]}) from None
    result = cohort_import(
        alliance=alliance, filename=payload.filename, data=data, by=user, site_url=site_url(request)
    )
    return {
        "invited": result.invited,
        "already_invited": result.already_invited,
        "already_members": result.already_members,
    }


@router.delete(
    "/{slug}/invitations/{invitation_id}",
    response={200: MembersOut, **WRITE_ERRORS},
    summary="Withdraw an invitation",
)
def alliance_invitation_delete(
    request: HttpRequest, slug: Slug, invitation_id: Id
) -> dict[str, Any]:
    user = signed_in_user(request)
    invitation = access_invitation_for_manage(user, slug, invitation_id)
    invitation_withdraw(invitation=invitation, by=user)
    return _members(user, invitation.alliance)


@router.post(
    "/invitations/accept",
    response={200: AllianceDetailOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Accept an invitation",
)
def invitation_accept_endpoint(request: HttpRequest, payload: AcceptIn) -> dict[str, Any]:
    """With the token from the invitation's link; you become a member."""
    user = signed_in_user(request)
    invitation = access_invitation_by_token(user, payload.token)
    invitation_accept(invitation=invitation, user=user)
    return _detail(user, invitation.alliance)


@router.post(
    "/{slug}/organisations",
    response={201: list[MemberOrganisationOut], **WRITE_ERRORS},
    summary="Add an organisation to an alliance",
)
def organisation_add(request: HttpRequest, slug: Slug, payload: OrganisationIn) -> Status[Any]:
    user = signed_in_user(request)
    alliance = access_alliance_for_manage(user, slug)
    alliance_organisation_join(
        alliance=alliance, organisation=_organisation(payload.organisation_id), by=user
    )
    return Status(201, list(alliance.member_organisations.select_related("organisation")))


@router.post(
    "/{slug}/organisations/remove",
    response={200: list[MemberOrganisationOut], **WRITE_ERRORS},
    summary="Take an organisation out of an alliance",
)
def organisation_remove(request: HttpRequest, slug: Slug, payload: OrganisationIn) -> list[Any]:
    """Its people stay members until they are removed one by one."""
    user = signed_in_user(request)
    alliance = access_alliance_for_manage(user, slug)
    alliance_organisation_leave(
        alliance=alliance, organisation=_organisation(payload.organisation_id), by=user
    )
    return list(alliance.member_organisations.select_related("organisation"))


def _organisation(organisation_id: int) -> Organisation:
    organisation = Organisation.objects.filter(id=organisation_id).first()
    if organisation is None:
        raise ValidationError({"organisation_id": [_("Give the id of an existing organisation.")]})
    return organisation


# --- priorities ------------------------------------------------------------------------------


def _priorities(alliance: LearningAlliance) -> list[AlliancePriority]:
    return list(alliance.priorities.order_by("position", "id"))


@router.post(
    "/{slug}/priorities",
    response={201: list[PriorityDetailOut], **WRITE_ERRORS},
    summary="Add a priority reform area",
)
def priority_add(
    request: HttpRequest, slug: Slug, payload: PriorityIn
) -> Status[list[AlliancePriority]]:
    user = signed_in_user(request)
    alliance = access_alliance_for_manage(user, slug)
    alliance_priority_create(
        alliance=alliance, title=payload.title, description=payload.description, by=user
    )
    return Status(201, _priorities(alliance))


@router.put(
    "/{slug}/priorities/{priority_id}",
    response={200: list[PriorityDetailOut], **WRITE_ERRORS},
    summary="Edit a priority reform area",
)
def priority_edit(
    request: HttpRequest, slug: Slug, priority_id: Id, payload: PriorityIn
) -> list[AlliancePriority]:
    user = signed_in_user(request)
    priority = access_priority_for_manage(user, slug, priority_id)
    alliance_priority_update(
        priority=priority, title=payload.title, description=payload.description, by=user
    )
    return _priorities(priority.alliance)


@router.post(
    "/{slug}/priorities/{priority_id}/move",
    response={200: list[PriorityDetailOut], **WRITE_ERRORS},
    summary="Move a priority reform area up or down",
)
def priority_move(
    request: HttpRequest, slug: Slug, priority_id: Id, payload: MoveIn
) -> list[AlliancePriority]:
    user = signed_in_user(request)
    priority = access_priority_for_manage(user, slug, priority_id)
    alliance_priority_move(priority=priority, direction=payload.direction, by=user)
    return _priorities(priority.alliance)


@router.delete(
    "/{slug}/priorities/{priority_id}",
    response={200: list[PriorityDetailOut], **WRITE_ERRORS},
    summary="Remove a priority reform area",
)
def priority_delete(request: HttpRequest, slug: Slug, priority_id: Id) -> list[AlliancePriority]:
    user = signed_in_user(request)
    priority = access_priority_for_manage(user, slug, priority_id)
    alliance = priority.alliance
    alliance_priority_delete(priority=priority, by=user)
    return _priorities(alliance)


# --- the Learning Guide's checklists ------------------------------------------------------


def _checklist(user: Viewer, alliance: LearningAlliance) -> dict[str, Any]:
    checklist = alliance_checklist(user=user, alliance=alliance)
    return {
        "stage": alliance.stage,
        "can_edit": checklist.can_edit,
        "stages": [
            {
                "stage": section.stage.value,
                "label": str(section.stage.label),
                "current": section.current,
                "open_count": section.open_count,
                "items": [vars(item) for item in section.items],
            }
            for section in checklist.stages
        ],
    }


@router.get(
    "/{slug}/checklist",
    response={200: ChecklistOut, 404: ErrorOut},
    summary="The Learning Guide's questions and the alliance's answers",
)
def checklist_get(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    """For the alliance's members (and its funders and administrators)."""
    user = signed_in_user(request)
    return _checklist(user, access_alliance_checklist(user, slug))


@router.put(
    "/{slug}/checklist",
    response={200: ChecklistOut, **WRITE_ERRORS},
    summary="Answer the Learning Guide's questions",
)
def checklist_put(request: HttpRequest, slug: Slug, payload: AnswersIn) -> dict[str, Any]:
    """For the alliance's facilitators: the answers given are stored, an empty one clears
    its question; the others stay as they are."""
    user = signed_in_user(request)
    alliance = access_alliance_checklist(user, slug)
    if not can_edit_checklist(user, alliance):
        raise AccessDenied(_("Only the alliance's facilitators may do this."))
    checklist_answers_save(
        alliance=alliance, answers={a.question: a.answer for a in payload.answers}, by=user
    )
    return _checklist(user, alliance)


# --- political context and risks ------------------------------------------------------------


def _note(n: RiskNote) -> dict[str, Any]:
    return {
        "id": n.id,
        "kind": n.kind,
        "kind_label": n.get_kind_display(),
        "title": n.title,
        "body": n.body,
        "written_by": str(n.written_by) if n.written_by is not None else None,
        "created_at": n.created_at,
        "updated_at": n.updated_at,
    }


@router.get(
    "/{slug}/risks",
    response={200: list[RiskNoteOut], 404: ErrorOut},
    summary="Political context and risk notes",
)
def risks_list(request: HttpRequest, slug: Slug) -> list[dict[str, Any]]:
    """For the alliance's facilitators only (404 for anyone else)."""
    user = signed_in_user(request)
    alliance = access_alliance_risks(user, slug)
    return [_note(n) for n in alliance_risk_notes(user=user, alliance=alliance)]


@router.post(
    "/{slug}/risks",
    response={201: RiskNoteOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Write a risk note",
)
def risks_add(request: HttpRequest, slug: Slug, payload: RiskNoteIn) -> Status[dict[str, Any]]:
    user = signed_in_user(request)
    alliance = access_alliance_risks(user, slug)
    note = risk_note_create(
        alliance=alliance, kind=payload.kind, title=payload.title, body=payload.body, by=user
    )
    return Status(201, _note(note))


@router.put(
    "/{slug}/risks/{note_id}",
    response={200: RiskNoteOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Edit a risk note",
)
def risks_edit(
    request: HttpRequest, slug: Slug, note_id: Id, payload: RiskNoteIn
) -> dict[str, Any]:
    user = signed_in_user(request)
    note = access_risk_note(user, slug, note_id)
    risk_note_update(note=note, kind=payload.kind, title=payload.title, body=payload.body, by=user)
    return _note(note)


@router.delete(
    "/{slug}/risks/{note_id}",
    response={204: None, 404: ErrorOut},
    summary="Remove a risk note",
)
def risks_delete(request: HttpRequest, slug: Slug, note_id: Id) -> Status[None]:
    user = signed_in_user(request)
    risk_note_delete(note=access_risk_note(user, slug, note_id), by=user)
    return Status(204, None)


@router.get(
    "/{slug}/history",
    response={200: list[HistoryOut], 403: ErrorOut, 404: ErrorOut},
    summary="The record of changes to an alliance",
)
def history(request: HttpRequest, slug: Slug) -> list[Any]:
    """Who changed what and when (members, roles, invitations, priorities, answers, stages,
    risk notes), newest first: for the alliance's facilitators."""
    user = signed_in_user(request)
    alliance = access_alliance_for_manage(user, slug)
    return [vars(e) for e in alliance_history(user=user, alliance=alliance)]
