"""Activity, feedback, action-plan and calendar pages. Each view fetches through
``peerlearn.access``, calls a service or a selector, and renders; every page works without
JavaScript."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peerlearn.access.activities import (
    FEEDBACK_AVERAGES_FROM,
    access_action_for_edit,
    access_action_plan_by_id,
    access_action_plan_for_edit,
    access_activity_by_id,
    access_activity_for_feedback,
    access_activity_for_manage,
    access_milestone_for_edit,
    activities_visible_to,
    alliance_ids_with_activities_for,
    alliance_names_visible_to,
    calendar_owner_by_token,
    can_see_alliance_activities,
    participants_choosable,
    people_named_to,
    plan_organisations_choosable,
)
from peerlearn.access.alliances import access_alliance_by_slug, access_alliance_for_manage
from peerlearn.access.base import NotFound
from peerlearn.activities import services
from peerlearn.activities.forms import (
    ActionPlanForm,
    ActivityFilterForm,
    ActivityForm,
    AttendanceForm,
    CalendarSettingsForm,
    FeedbackForm,
    MilestoneForm,
    MilestoneUpdateForm,
    OutputForm,
    PlanActionForm,
)
from peerlearn.activities.ics import calendar_for
from peerlearn.activities.middleware import reader_zone_remember
from peerlearn.activities.models import FEEDBACK_ITEMS, ActionPlan, MilestoneStatus
from peerlearn.activities.selectors import (
    action_plan_detail,
    activity_detail,
    alliance_section,
    feed_activities,
    feed_token_of,
    feedback_trend,
    reader_zone,
    reader_zone_name,
)
from peerlearn.core.forms import form_add_service_errors
from peerlearn.core.http import AuthenticatedHttpRequest, HtmxHttpRequest, site_url


def _named(request: HttpRequest, alliance_id: int, members: Any) -> set[int]:
    return people_named_to(request.user, alliance_id, {u.id for u in members})


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _activity_urls(request: HttpRequest, activities: list[Any]) -> dict[int, str]:
    base = site_url(request)
    return {a.id: base + reverse("activities:detail", args=[a.id]) for a in activities}


@login_required
def my_activities(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Everything the person may see, upcoming first, by alliance and kind; the list alone
    for htmx."""
    now = timezone.now()
    form = ActivityFilterForm(
        request.GET or None, alliances=alliance_ids_with_activities_for(request.user)
    )
    qs = activities_visible_to(request.user).select_related("alliance")
    if form.is_valid():
        if form.cleaned_data["alliance"]:
            qs = qs.filter(alliance=form.cleaned_data["alliance"])
        if form.cleaned_data["kind"]:
            qs = qs.filter(kind=form.cleaned_data["kind"])
    template = "activities/mine.html" + ("#results" if request.htmx else "")
    return render(
        request,
        template,
        {
            "form": form,
            "upcoming": list(qs.filter(ends_at__gte=now).order_by("starts_at")[:100]),
            "past": list(qs.filter(ends_at__lt=now).order_by("-starts_at")[:100]),
            "zone": reader_zone(request.user),
            "named_alliances": alliance_names_visible_to(
                request.user, set(qs.values_list("alliance_id", flat=True).distinct())
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    found = services.calendar_settings_for(user=request.user)
    form = CalendarSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={"time_zone": reader_zone_name(request.user)},
    )
    if form.is_valid():
        services.calendar_time_zone_set(user=request.user, time_zone=form.cleaned_data["time_zone"])
        reader_zone_remember(request, form.cleaned_data["time_zone"])
        messages.success(request, _("Times are now shown in your time zone as well."))
        return redirect("activities:calendar")
    base = site_url(request)
    return render(
        request,
        "activities/calendar.html",
        {
            "form": form,
            "feed_url": base + reverse("activities:feed_person", args=[found.feed_token]),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def calendar_regenerate(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A new secret for the person's feeds (from the calendar page or an alliance page)."""
    had_one = feed_token_of(request.user) is not None
    services.feed_token_regenerate(user=request.user)
    messages.success(
        request,
        _("Your calendar addresses have changed: the old ones no longer answer. Subscribe again.")
        if had_one
        else _("Your calendar addresses are ready: add one to your calendar application."),
    )
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    return redirect("activities:calendar")


def feed_person(request: HttpRequest, token: str) -> HttpResponse:
    """A person's feed: polled by calendar applications without a session."""
    owner = calendar_owner_by_token(token)
    activities = list(feed_activities(owner=owner))
    content = calendar_for(
        activities, name=_("peerlearn activities"), urls=_activity_urls(request, activities)
    )
    return _ics_response(content, "peerlearn.ics")


def feed_alliance(request: HttpRequest, token: str, slug: str) -> HttpResponse:
    owner = calendar_owner_by_token(token)
    alliance = access_alliance_by_slug(owner, slug)
    if not can_see_alliance_activities(owner, alliance.id):
        raise NotFound(_("No such calendar."))
    activities = list(feed_activities(owner=owner, alliance_id=alliance.id))
    content = calendar_for(activities, name=alliance.name, urls=_activity_urls(request, activities))
    return _ics_response(content, f"{alliance.slug}.ics")


@login_required
def alliance_activities(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """An alliance's activities, action plans and (for facilitators) the feedback trend."""
    alliance = access_alliance_by_slug(request.user, slug)
    section = alliance_section(user=request.user, alliance=alliance)
    if section is None:
        raise NotFound(_("No such learning alliance."))
    return render(
        request,
        "activities/alliance.html",
        {
            "alliance": alliance,
            "section": section,
            "trend": feedback_trend(user=request.user, alliance_id=alliance.id),
            "items": FEEDBACK_ITEMS,
            "averages_from": FEEDBACK_AVERAGES_FROM,
            "zone": reader_zone(request.user),
            # Whom plan_create lets in: the facilitators, and members for their own county.
            "can_start_plan": plan_organisations_choosable(request.user, alliance.id).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    alliance = access_alliance_for_manage(request.user, slug)
    members = participants_choosable(alliance.id)
    form = ActivityForm(
        request.POST if request.method == "POST" else None,
        members=members,
        named=_named(request, alliance.id, members),
        initial={"participants": list(members)},
    )
    if form.is_valid():
        try:
            activity = services.activity_create(
                alliance=alliance,
                created_by=request.user,
                participant_ids=[u.id for u in form.cleaned_data["participants"]],
                site_url=site_url(request),
                **form.service_fields(),
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(
                request,
                _(
                    "The activity is recorded. It is over, so nobody is invited: record who "
                    "attended, and they are asked for their feedback."
                )
                if activity.over
                else _("The activity is scheduled; participants are invited by e-mail."),
            )
            return redirect("activities:detail", activity_id=activity.id)
    return render(
        request,
        "activities/form.html",
        {"form": form, "alliance": alliance, "activity": None},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: AuthenticatedHttpRequest, activity_id: int) -> HttpResponse:
    activity = access_activity_for_manage(request.user, activity_id)
    members = participants_choosable(activity.alliance_id)
    zone = activity.zone
    initial = {
        "kind": activity.kind,
        "title": activity.title,
        "time_zone": activity.time_zone,
        "starts_at": activity.starts_at.astimezone(zone).replace(tzinfo=None),
        "ends_at": activity.ends_at.astimezone(zone).replace(tzinfo=None),
        "place": activity.place,
        "link": activity.link,
        "agenda": activity.agenda,
        "participants": list(activity.participants.all()),
        "cost_amount": activity.cost_amount,
        "cost_currency": activity.cost_currency,
    }
    form = ActivityForm(
        request.POST if request.method == "POST" else None,
        members=members,
        named=_named(request, activity.alliance_id, members),
        initial=initial,
    )
    if form.is_valid():
        try:
            services.activity_update(
                activity=activity,
                participant_ids=[u.id for u in form.cleaned_data["participants"]],
                site_url=site_url(request),
                **form.service_fields(),
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(
                request,
                _("The activity is changed. It is over, so nobody is e-mailed.")
                if activity.over
                else _("The activity is changed; participants are told by e-mail."),
            )
            return redirect("activities:detail", activity_id=activity.id)
    return render(
        request,
        "activities/form.html",
        {"form": form, "alliance": activity.alliance, "activity": activity},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_cancel(request: AuthenticatedHttpRequest, activity_id: int) -> HttpResponse:
    activity = access_activity_for_manage(request.user, activity_id)
    if request.method == "POST":
        try:
            services.activity_cancel(activity=activity, site_url=site_url(request))
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(
                request, _("The activity is cancelled; participants are told by e-mail.")
            )
        return redirect("activities:detail", activity_id=activity.id)
    return render(request, "activities/cancel.html", {"activity": activity})


def activity_page(request: HtmxHttpRequest, activity_id: int) -> HttpResponse:
    activity = access_activity_by_id(request.user, activity_id)
    return _activity_page(request, activity)


def _activity_page(
    request: HttpRequest, activity: Any, *, output_form: OutputForm | None = None
) -> HttpResponse:
    """The activity's page; with a refused ``output_form``, that form as it was sent, its
    errors beside its fields (400)."""
    detail = activity_detail(user=request.user, activity=activity)
    context = {
        "detail": detail,
        "activity": detail.activity,
        "items": FEEDBACK_ITEMS,
        "averages_from": FEEDBACK_AVERAGES_FROM,
    }
    if detail.can_manage:
        context["attendance_form"] = AttendanceForm(
            participants=detail.activity.participants.all(),
            named=detail.named,
            initial={"attended": [p.user for p in detail.participations if p.attended]},
        )
        context["output_form"] = output_form or OutputForm()
    status = 400 if output_form is not None and output_form.errors else 200
    return render(request, "activities/detail.html", context, status=status)


def activity_ics(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = access_activity_by_id(request.user, activity_id)
    content = calendar_for([activity], urls=_activity_urls(request, [activity]))
    return _ics_response(content, f"activity-{activity.id}.ics")


@login_required
@require_POST
def activity_attendance(request: AuthenticatedHttpRequest, activity_id: int) -> HttpResponse:
    activity = access_activity_for_manage(request.user, activity_id)
    form = AttendanceForm(request.POST, participants=activity.participants.all())
    if form.is_valid():
        try:
            services.attendance_record(
                activity=activity, attended_ids=[u.id for u in form.cleaned_data["attended"]]
            )
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("Attendance recorded."))
    else:
        messages.error(request, _("Tick the participants who attended."))
    return redirect("activities:detail", activity_id=activity.id)


@login_required
@require_POST
def activity_output_add(request: AuthenticatedHttpRequest, activity_id: int) -> HttpResponse:
    activity = access_activity_for_manage(request.user, activity_id)
    form = OutputForm(request.POST)
    if not form.is_valid():
        # What was typed stays, with each error beside its field.
        return _activity_page(request, activity, output_form=form)
    services.activity_output_add(activity=activity, **form.cleaned_data)
    messages.success(request, _("Output added."))
    return redirect("activities:detail", activity_id=activity.id)


@login_required
@require_http_methods(["GET", "POST"])
def activity_feedback(request: AuthenticatedHttpRequest, activity_id: int) -> HttpResponse:
    activity = access_activity_for_feedback(request.user, activity_id)
    mine = activity.feedback.filter(author=request.user).first()
    initial = {}
    if mine is not None:
        initial = {name: getattr(mine, name) for name, _q in FEEDBACK_ITEMS}
        initial.update(comment=mine.comment, signed=mine.signed)
    closed = services.feedback_problems(activity=activity, author=request.user)
    if closed:
        # Said before the form is filled in, not after.
        return render(
            request,
            "activities/feedback.html",
            {"activity": activity, "mine": mine, "closed": closed},
            status=400 if request.method == "POST" else 200,
        )
    form = FeedbackForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.feedback_submit(
                activity=activity,
                author=request.user,
                comment=d["comment"],
                signed=d["signed"],
                **{name: d[name] for name, _q in FEEDBACK_ITEMS},
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(
                request, _("Thank you: your feedback is saved. You may change it later.")
            )
            return redirect("activities:detail", activity_id=activity.id)
    return render(
        request,
        "activities/feedback.html",
        {"form": form, "activity": activity, "mine": mine},
        status=400 if form.errors else 200,
    )


# --- action plans ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    alliance = access_alliance_by_slug(request.user, slug)
    organisations = plan_organisations_choosable(request.user, alliance.id)
    if not organisations.exists():
        raise NotFound(_("No such learning alliance."))
    form = ActionPlanForm(
        request.POST if request.method == "POST" else None, organisations=organisations
    )
    if form.is_valid():
        d = form.cleaned_data
        try:
            plan = services.action_plan_create(
                alliance=alliance,
                organisation_id=d["organisation"].id,
                title=d["title"],
                goal=d["goal"],
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            return redirect("activities:plan", plan_id=plan.id)
    return render(
        request,
        "activities/plan_form.html",
        {"form": form, "alliance": alliance},
        status=400 if form.errors else 200,
    )


def _milestone_form(action_id: int, data: Any = None) -> MilestoneForm:
    """One action's "Add a milestone" form: its ids unique on the plan page."""
    return MilestoneForm(data, auto_id=f"id_a{action_id}_%s")


def _plan_page(
    request: HttpRequest,
    plan: ActionPlan,
    *,
    action_form: PlanActionForm | None = None,
    milestone_form: tuple[int, MilestoneForm] | None = None,
    updating: tuple[int, MilestoneUpdateForm] | None = None,
) -> HttpResponse:
    """The plan page. Given a refused form (a new action, one action's new milestone, or a
    milestone's update), that form as it was sent, its errors beside its fields and summed
    up at the top (400)."""
    failed: Any = (
        updating[1]
        if updating is not None
        else milestone_form[1]
        if milestone_form is not None
        else action_form
    )
    view = action_plan_detail(user=request.user, plan=plan)
    context: dict[str, Any] = {
        "view": view,
        "plan": view.plan,
        "statuses": MilestoneStatus.choices,
        "failed_form": failed,
        "updating_id": updating[0] if updating is not None else None,
    }
    if view.can_edit:
        members = participants_choosable(plan.alliance_id)
        context["action_form"] = action_form or PlanActionForm(
            members=members, named=_named(request, plan.alliance_id, members)
        )
        forms = {action.id: _milestone_form(action.id) for action in view.plan.actions.all()}
        if milestone_form is not None:
            forms[milestone_form[0]] = milestone_form[1]
        context["milestone_forms"] = forms
    return render(request, "activities/plan.html", context, status=200 if failed is None else 400)


def plan_page(request: HtmxHttpRequest, plan_id: int) -> HttpResponse:
    plan = access_action_plan_by_id(request.user, plan_id)
    return _plan_page(request, plan)


@login_required
@require_POST
def plan_action_add(request: AuthenticatedHttpRequest, plan_id: int) -> HttpResponse:
    """Add an action; refused, the plan page again with the form as it was sent (400)."""
    plan = access_action_plan_for_edit(request.user, plan_id)
    members = participants_choosable(plan.alliance_id)
    form = PlanActionForm(
        request.POST, members=members, named=_named(request, plan.alliance_id, members)
    )
    if form.is_valid():
        try:
            services.plan_action_create(plan=plan, **form.cleaned_data)
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(request, _("Action added."))
            return redirect("activities:plan", plan_id=plan.id)
    return _plan_page(request, plan, action_form=form)


@login_required
@require_POST
def milestone_add(request: AuthenticatedHttpRequest, action_id: int) -> HttpResponse:
    """Add a milestone to an action; refused, the plan page again with the form as it was
    sent, open (400)."""
    action = access_action_for_edit(request.user, action_id)
    form = _milestone_form(action.id, request.POST)
    if form.is_valid():
        try:
            services.milestone_create(action=action, **form.cleaned_data)
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(request, _("Milestone added."))
            return redirect("activities:plan", plan_id=action.plan_id)
    return _plan_page(request, action.plan, milestone_form=(action.id, form))


@login_required
@require_POST
def milestone_update(request: AuthenticatedHttpRequest, milestone_id: int) -> HttpResponse:
    """A milestone's status and evidence link; refused, the plan page again with that row
    as it was sent and its errors beside its fields (400)."""
    milestone = access_milestone_for_edit(request.user, milestone_id)
    # The row's own ids ("status-12"), which the error summary links to.
    form = MilestoneUpdateForm(request.POST, auto_id=f"%s-{milestone.id}")
    if form.is_valid():
        try:
            services.milestone_update(milestone=milestone, **form.cleaned_data)
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(request, _("Milestone updated."))
            return redirect("activities:plan", plan_id=milestone.action.plan_id)
    return _plan_page(request, milestone.action.plan, updating=(milestone.id, form))
