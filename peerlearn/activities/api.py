"""Activities (with attendance, outputs and feedback), action plans and calendars: the same
access rules and read models as the pages."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from peerlearn.access.activities import (
    access_action_for_edit,
    access_action_plan_by_id,
    access_action_plan_for_edit,
    access_activity_by_id,
    access_activity_for_feedback,
    access_activity_for_manage,
    access_milestone_for_edit,
    activities_visible_to,
    alliance_ids_with_activities_for,
    participants_choosable,
    people_named_to,
    plan_organisations_choosable,
)
from peerlearn.access.alliances import access_alliance_by_slug, access_alliance_for_manage
from peerlearn.access.base import AccessDenied, Viewer
from peerlearn.accounts.models import User
from peerlearn.activities import services
from peerlearn.activities.models import ActionPlan, Activity
from peerlearn.activities.schemas import (
    ActionPlanIn,
    ActionPlanOut,
    ActivityCreateIn,
    ActivityDetailOut,
    ActivityFeedbackOut,
    ActivityFiltersIn,
    ActivityOut,
    ActivityUpdateIn,
    AttendanceIn,
    CalendarIn,
    CalendarOut,
    FeedbackIn,
    MilestoneIn,
    MilestoneUpdateIn,
    OutputIn,
    PlanActionIn,
)
from peerlearn.activities.selectors import (
    SCORES,
    FeedbackView,
    action_plan_detail,
    action_plans_of_alliance,
    activity_detail,
    activity_feedback,
    reader_zone_name,
)
from peerlearn.core.api import Id, Page, Slug, signed_in_user
from peerlearn.core.http import site_url
from peerlearn.core.schemas import ErrorOut, ValidationErrorOut

router = Router(tags=["activities and action plans"])

WRITE = {403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _activity_out(a: Activity) -> dict[str, Any]:
    return {
        "id": a.id,
        "alliance": a.alliance.slug,
        "kind": a.kind,
        "kind_label": a.get_kind_display(),
        "title": a.title,
        "starts_at": a.starts_at,
        "ends_at": a.ends_at,
        "time_zone": a.time_zone,
        "status": a.status,
        "place": a.place,
        "link": a.link,
    }


def _feedback_out(view: FeedbackView) -> dict[str, Any]:
    """One answer as the read model gives it to its reader (``selectors.feedback_view``)."""
    f = view.feedback
    return {
        **{score: getattr(f, score) if view.scores_shown else None for score in SCORES},
        "comment": view.comment,
        "signed": f.signed,
        "author": view.author,
        "updated_at": view.answered_at,
    }


def _detail(user: Viewer, activity: Activity) -> dict[str, Any]:
    d = activity_detail(user=user, activity=activity)
    a = d.activity
    return {
        **_activity_out(a),
        "agenda": a.agenda,
        "starts_local": d.starts_local,
        "ends_local": d.ends_local,
        "starts_yours": d.starts_reader,
        "your_time_zone": d.reader_zone,
        "cost_amount": float(a.cost_amount) if a.cost_amount is not None else None,
        "cost_currency": a.cost_currency,
        "sequence": a.sequence,
        "participants": [
            {
                "user_id": p.user_id,
                "name": str(p.user) if p.user_id in d.named else None,
                "attended": p.attended,
            }
            for p in d.participations
        ],
        "outputs": d.outputs,
        "can_manage": d.can_manage,
        "can_give_feedback": d.can_give_feedback,
        "outside_alliance_dates": d.outside_alliance_dates,
        "my_feedback": _feedback_out(d.my_feedback) if d.my_feedback else None,
    }


def _fields(payload: ActivityCreateIn | ActivityUpdateIn) -> dict[str, Any]:
    return {
        "kind": payload.kind.value,
        "title": payload.title,
        "starts_at": payload.starts_at,
        "ends_at": payload.ends_at,
        "time_zone": payload.time_zone,
        "place": payload.place,
        "link": payload.link,
        "agenda": payload.agenda,
        "cost_amount": (
            Decimal(str(payload.cost_amount)).quantize(Decimal("0.01"))
            if payload.cost_amount is not None
            else None
        ),
        "cost_currency": payload.cost_currency,
    }


@router.get("", response=list[ActivityOut], summary="List activities")
@paginate(Page)
def activities(request: HttpRequest, filters: Query[ActivityFiltersIn]) -> QuerySet[Activity]:
    """The activities of the alliances you are inside, soonest first."""
    user = signed_in_user(request)
    qs = activities_visible_to(user).select_related("alliance")
    if filters.alliance:
        qs = qs.filter(alliance_id=access_alliance_by_slug(user, filters.alliance).id)
    if filters.upcoming:
        qs = qs.filter(ends_at__gte=timezone.now())
    return qs.order_by("starts_at", "id")


@router.post("", response={201: ActivityDetailOut, **WRITE}, summary="Schedule an activity")
def activity_create(request: HttpRequest, payload: ActivityCreateIn) -> Status[dict[str, Any]]:
    """For the alliance's facilitators; participants are e-mailed an invitation with the
    .ics. A closed alliance takes only an activity it held by its closing day (422 on
    ``starts_at`` otherwise: reopen it first)."""
    user = signed_in_user(request)
    alliance = access_alliance_for_manage(user, payload.alliance)
    activity = services.activity_create(
        alliance=alliance,
        created_by=user,
        participant_ids=payload.participants,
        site_url=site_url(request),
        **_fields(payload),
    )
    return Status(201, _detail(user, activity))


@router.get("/calendar", response=CalendarOut, summary="Your calendar addresses")
def calendar(request: HttpRequest) -> dict[str, Any]:
    """Secret addresses a calendar application can poll without signing in."""
    user = signed_in_user(request)
    return _calendar(request, user)


def _calendar(request: HttpRequest, user: User) -> dict[str, Any]:
    found = services.calendar_settings_for(user=user)
    base = site_url(request)
    slugs = alliance_ids_with_activities_for(user).values_list("slug", flat=True)
    return {
        "feed_url": base + reverse("activities:feed_person", args=[found.feed_token]),
        "alliance_feed_urls": {
            slug: base + reverse("activities:feed_alliance", args=[found.feed_token, slug])
            for slug in slugs
        },
        "time_zone": reader_zone_name(user),
    }


@router.post("/calendar/token", response=CalendarOut, summary="Make new calendar addresses")
def calendar_token(request: HttpRequest) -> dict[str, Any]:
    """The old addresses stop answering."""
    user = signed_in_user(request)
    services.feed_token_regenerate(user=user)
    return _calendar(request, user)


@router.put(
    "/calendar", response={200: CalendarOut, 422: ValidationErrorOut}, summary="Set your time zone"
)
def calendar_set(request: HttpRequest, payload: CalendarIn) -> dict[str, Any]:
    user = signed_in_user(request)
    services.calendar_time_zone_set(user=user, time_zone=payload.time_zone)
    return _calendar(request, user)


@router.get(
    "/{int:activity_id}",
    response={200: ActivityDetailOut, 404: ErrorOut},
    summary="Get an activity",
)
def activity(request: HttpRequest, activity_id: Id) -> dict[str, Any]:
    user = signed_in_user(request)
    return _detail(user, access_activity_by_id(user, activity_id))


@router.put(
    "/{int:activity_id}", response={200: ActivityDetailOut, **WRITE}, summary="Change an activity"
)
def activity_update(
    request: HttpRequest, activity_id: Id, payload: ActivityUpdateIn
) -> dict[str, Any]:
    """Its SEQUENCE grows; participants are e-mailed the update."""
    user = signed_in_user(request)
    activity = access_activity_for_manage(user, activity_id)
    services.activity_update(
        activity=activity,
        participant_ids=payload.participants,
        site_url=site_url(request),
        **_fields(payload),
    )
    return _detail(user, activity)


@router.post(
    "/{int:activity_id}/cancel",
    response={200: ActivityDetailOut, **WRITE},
    summary="Cancel an activity",
)
def activity_cancel(request: HttpRequest, activity_id: Id) -> dict[str, Any]:
    user = signed_in_user(request)
    activity = access_activity_for_manage(user, activity_id)
    services.activity_cancel(activity=activity, site_url=site_url(request))
    return _detail(user, activity)


@router.put(
    "/{int:activity_id}/attendance",
    response={200: ActivityDetailOut, **WRITE},
    summary="Record who attended",
)
def activity_attendance(
    request: HttpRequest, activity_id: Id, payload: AttendanceIn
) -> dict[str, Any]:
    user = signed_in_user(request)
    activity = access_activity_for_manage(user, activity_id)
    services.attendance_record(activity=activity, attended_ids=payload.attended)
    return _detail(user, activity)


@router.post(
    "/{int:activity_id}/outputs",
    response={201: ActivityDetailOut, **WRITE},
    summary="Add an output",
)
def activity_output(
    request: HttpRequest, activity_id: Id, payload: OutputIn
) -> Status[dict[str, Any]]:
    user = signed_in_user(request)
    activity = access_activity_for_manage(user, activity_id)
    services.activity_output_add(activity=activity, title=payload.title, url=payload.url)
    return Status(201, _detail(user, activity))


@router.put(
    "/{int:activity_id}/feedback/mine",
    response={200: ActivityDetailOut, **WRITE},
    summary="Give or change your feedback",
)
def feedback_put(request: HttpRequest, activity_id: Id, payload: FeedbackIn) -> dict[str, Any]:
    """Participants only, once the activity has started; one answer each, which may be
    changed."""
    user = signed_in_user(request)
    activity = access_activity_for_feedback(user, activity_id)
    services.feedback_submit(activity=activity, author=user, **payload.dict())
    return _detail(user, activity)


@router.get(
    "/{int:activity_id}/feedback",
    response={200: ActivityFeedbackOut, 403: ErrorOut, 404: ErrorOut},
    summary="An activity's feedback",
)
def feedback_get(request: HttpRequest, activity_id: Id) -> dict[str, Any]:
    """For the alliance's facilitators: the response rate, averages and every answer
    (named only when its author signed it), in an order that does not follow answering. An
    unsigned answer's scores count in the averages only; its comment and the averages show
    once enough people have answered without signing."""
    user = signed_in_user(request)
    activity = access_activity_for_manage(user, activity_id)
    read = activity_feedback(user=user, activity=activity)
    summary = read.summary
    return {
        "summary": {
            "responses": summary.responses,
            "participants": summary.participants,
            "rate": summary.rate,
            # None until enough people answered unsigned (``feedback_averages_shown``).
            "averages": summary.averages,
            "unsigned_withheld": read.comments_withheld,
        },
        "answers": [_feedback_out(v) for v in read.answers],
    }


# --- action plans --------------------------------------------------------------------------


def _plan_out(user: Viewer, plan: ActionPlan, can_edit: bool) -> dict[str, Any]:
    owners = {a.owner_id for a in plan.actions.all() if a.owner_id is not None}
    named = people_named_to(user, plan.alliance_id, owners)
    return {
        "id": plan.id,
        "alliance": plan.alliance.slug,
        "organisation": plan.organisation.name,
        "organisation_id": plan.organisation_id,
        "title": plan.title,
        "goal": plan.goal,
        "can_edit": can_edit,
        "actions": [
            {
                "id": action.id,
                "title": action.title,
                "owner": str(action.owner) if action.owner_id in named else None,
                "milestones": list(action.milestones.all()),
            }
            for action in plan.actions.all()
        ],
    }


@router.get(
    "/plans",
    response={200: list[ActionPlanOut], 404: ErrorOut},
    summary="An alliance's action plans",
)
def plans(request: HttpRequest, alliance: Slug) -> list[dict[str, Any]]:
    user = signed_in_user(request)
    found = access_alliance_by_slug(user, alliance)
    views = action_plans_of_alliance(user=user, alliance_id=found.id)
    for view in views:
        view.plan.alliance = found
    return [_plan_out(user, v.plan, v.can_edit) for v in views]


@router.post("/plans", response={201: ActionPlanOut, **WRITE}, summary="Start an action plan")
def plan_create(request: HttpRequest, payload: ActionPlanIn) -> Status[dict[str, Any]]:
    """For a member organisation: by its own people in the alliance, or a facilitator."""
    user = signed_in_user(request)
    alliance = access_alliance_by_slug(user, payload.alliance)
    if not plan_organisations_choosable(user, alliance.id).filter(id=payload.organisation).exists():
        raise AccessDenied(
            _("Only the organisation's own members and the facilitators start its action plan.")
        )
    plan = services.action_plan_create(
        alliance=alliance,
        organisation_id=payload.organisation,
        title=payload.title,
        goal=payload.goal,
    )
    view = action_plan_detail(user=user, plan=plan)
    return Status(201, _plan_out(user, view.plan, view.can_edit))


@router.get(
    "/plans/{int:plan_id}",
    response={200: ActionPlanOut, 404: ErrorOut},
    summary="Get an action plan",
)
def plan(request: HttpRequest, plan_id: Id) -> dict[str, Any]:
    user = signed_in_user(request)
    view = action_plan_detail(user=user, plan=access_action_plan_by_id(user, plan_id))
    return _plan_out(user, view.plan, view.can_edit)


@router.post(
    "/plans/{int:plan_id}/actions", response={201: ActionPlanOut, **WRITE}, summary="Add an action"
)
def plan_action(request: HttpRequest, plan_id: Id, payload: PlanActionIn) -> Status[dict[str, Any]]:
    user = signed_in_user(request)
    found = access_action_plan_for_edit(user, plan_id)
    owner = None
    if payload.owner is not None:
        owner = participants_choosable(found.alliance_id).filter(id=payload.owner).first()
        if owner is None:
            raise ValidationError({"owner": [_("The owner must be a member of the alliance.")]})
    services.plan_action_create(plan=found, title=payload.title, owner=owner)
    view = action_plan_detail(user=user, plan=found)
    return Status(201, _plan_out(user, view.plan, view.can_edit))


@router.post(
    "/actions/{int:action_id}/milestones",
    response={201: ActionPlanOut, **WRITE},
    summary="Add a milestone",
)
def milestone_create(
    request: HttpRequest, action_id: Id, payload: MilestoneIn
) -> Status[dict[str, Any]]:
    user = signed_in_user(request)
    action = access_action_for_edit(user, action_id)
    services.milestone_create(
        action=action,
        title=payload.title,
        due_on=payload.due_on,
        status=payload.status.value,
        evidence_url=payload.evidence_url,
    )
    view = action_plan_detail(user=user, plan=action.plan)
    return Status(201, _plan_out(user, view.plan, view.can_edit))


@router.patch(
    "/milestones/{int:milestone_id}",
    response={200: ActionPlanOut, **WRITE},
    summary="Update a milestone",
)
def milestone_update(
    request: HttpRequest, milestone_id: Id, payload: MilestoneUpdateIn
) -> dict[str, Any]:
    user = signed_in_user(request)
    milestone = access_milestone_for_edit(user, milestone_id)
    services.milestone_update(
        milestone=milestone,
        status=payload.status.value,
        evidence_url=payload.evidence_url,
        due_on=payload.due_on,
    )
    view = action_plan_detail(user=user, plan=milestone.action.plan)
    return _plan_out(user, view.plan, view.can_edit)
