"""Pre-assessment and learning strategy pages. Each URL serves its whole page, or the named
fragment for an htmx request; every form also works as a plain POST without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from peerlearn.access.strategy import (
    access_alliance_for_strategy_manage,
    access_alliance_for_taking_part,
    access_alliance_inside,
    access_group_for_manage,
    access_need_for_edit,
    access_need_for_grouping,
    access_part_for_confirm,
    access_part_for_edit,
    access_part_for_reminder,
)
from peerlearn.core.forms import form_add_service_errors
from peerlearn.core.http import AuthenticatedHttpRequest, site_url
from peerlearn.strategy import services
from peerlearn.strategy.forms import (
    GroupForm,
    GroupingForm,
    MoveForm,
    NeedForm,
    ObjectiveFormSet,
    PartForm,
    RankingForm,
    RankingStateForm,
)
from peerlearn.strategy.models import StrategyPart
from peerlearn.strategy.selectors import (
    member_name,
    part_detail,
    parts_confirmed,
    preassessment_detail,
    strategy_detail,
    teachers_for,
)


def _fragment(request: AuthenticatedHttpRequest, template: str, name: str) -> str:
    return f"{template}#{name}" if getattr(request, "htmx", False) else template


# --- pre-assessment ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def preassessment_page(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The needs, their groups and the ranking; a learner submits a need here (POST)."""
    alliance = access_alliance_inside(request.user, slug)
    form = NeedForm()
    status = 200
    if request.method == "POST":
        alliance = access_alliance_for_taking_part(request.user, slug)
        form = NeedForm(request.POST)
        if form.is_valid():
            try:
                services.need_submit(
                    alliance=alliance,
                    author=request.user,
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                )
            except ValidationError as e:
                form_add_service_errors(form, e)
            else:
                messages.success(request, _("Your need is added to the pre-assessment."))
                if not getattr(request, "htmx", False):
                    return redirect("strategy:preassessment", slug=slug)
                form = NeedForm()
        if form.errors:
            status = 400
    detail = preassessment_detail(user=request.user, alliance=alliance)
    return render(
        request,
        _fragment(request, "strategy/preassessment.html", "needs"),
        {"detail": detail, "alliance": alliance, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def need_edit(request: AuthenticatedHttpRequest, slug: str, need_id: int) -> HttpResponse:
    alliance = access_alliance_inside(request.user, slug)
    need = access_need_for_edit(request.user, alliance, need_id)
    form = NeedForm(
        request.POST if request.method == "POST" else None,
        initial={"title": need.title, "description": need.description},
    )
    if request.method == "POST":
        try:
            if "withdraw" in request.POST:
                services.need_withdraw(need=need)
                messages.success(request, _("The need is withdrawn."))
                return redirect("strategy:preassessment", slug=slug)
            if form.is_valid():
                services.need_update(
                    need=need,
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                )
                messages.success(request, _("The need is saved."))
                return redirect("strategy:preassessment", slug=slug)
        except ValidationError as e:
            form_add_service_errors(form, e)
    return render(
        request,
        "strategy/need_edit.html",
        {"alliance": alliance, "need": need, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def need_move(request: AuthenticatedHttpRequest, slug: str, need_id: int) -> HttpResponse:
    """Move a need to another group, or split it into a group of its own."""
    alliance = access_alliance_for_strategy_manage(request.user, slug)
    need = access_need_for_grouping(request.user, alliance, need_id)
    form = MoveForm(
        request.POST if request.method == "POST" else None,
        alliance_id=alliance.id,
        initial={"group": need.group_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.need_move(need=need, group=form.cleaned_data["group"])
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(request, _("The need is moved."))
            return redirect("strategy:preassessment", slug=slug)
    return render(
        request,
        "strategy/need_move.html",
        {"alliance": alliance, "need": need, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def grouping(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Group the needs by meaning with the platform's text encoder (the one search uses)."""
    alliance = access_alliance_for_strategy_manage(request.user, slug)
    form = GroupingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            groups = services.needs_group(
                alliance=alliance,
                n_groups=form.cleaned_data["n_groups"],
                threshold=form.cleaned_data["threshold"],
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(
                request,
                _("The needs are grouped into %(n)s groups: rename, move or merge them now.")
                % {"n": len(groups)},
            )
            return redirect("strategy:preassessment", slug=slug)
    return render(
        request,
        "strategy/grouping.html",
        {"alliance": alliance, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request: AuthenticatedHttpRequest, slug: str, needgroup_id: int) -> HttpResponse:
    """Rename a group, or merge it into another."""
    alliance = access_alliance_for_strategy_manage(request.user, slug)
    group = access_group_for_manage(request.user, alliance, needgroup_id)
    form = GroupForm(
        request.POST if request.method == "POST" else None,
        group=group,
        initial={"title": group.title},
    )
    if request.method == "POST" and form.is_valid():
        try:
            target = form.cleaned_data["merge_into"]
            if target is not None:
                services.need_groups_merge(source=group, target=target)
                messages.success(request, _("The groups are merged."))
            else:
                services.need_group_rename(group=group, title=form.cleaned_data["title"])
                messages.success(request, _("The group is renamed."))
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            return redirect("strategy:preassessment", slug=slug)
    return render(
        request,
        "strategy/group_edit.html",
        {"alliance": alliance, "group": group, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def ranking(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The member's own ranking: a number for each group. Before the ranking opens, and
    once it has closed, the page says so and shows the member's ranking, if any, read-only."""
    alliance = access_alliance_for_taking_part(request.user, slug)
    detail = preassessment_detail(user=request.user, alliance=alliance)
    not_open = services.ranking_not_open(detail.pre_assessment)
    if not_open is not None:
        return render(
            request,
            "strategy/ranking.html",
            {
                "alliance": alliance,
                "detail": detail,
                "not_open": not_open,
                "my_ranking": sorted(
                    (g for g in detail.groups if g.my_rank is not None), key=lambda g: g.my_rank
                ),
            },
            status=400 if request.method == "POST" else 200,
        )
    groups = list(alliance.need_groups.prefetch_related("needs"))
    # The member's ranks, as the pre-assessment read them.
    mine = {g.group.id: g.my_rank for g in detail.groups if g.my_rank is not None}
    form = RankingForm(
        request.POST if request.method == "POST" else None, groups=groups, initial_ranks=mine
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.ranking_submit(alliance=alliance, member=request.user, ranks=form.ranks())
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(
                request, _("Your ranking is saved; you may change it until the ranking closes.")
            )
            return redirect("strategy:preassessment", slug=slug)
    return render(
        request,
        "strategy/ranking.html",
        {"alliance": alliance, "form": form, "detail": detail},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def ranking_state(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Open the ranking, or close it and turn the top groups into priorities
    (a confirmation page first: ``?action=open|close``)."""
    alliance = access_alliance_for_strategy_manage(request.user, slug)
    detail = preassessment_detail(user=request.user, alliance=alliance)
    data = request.POST if request.method == "POST" else None
    form = RankingStateForm(
        data,
        initial={
            "action": request.GET.get("action", "open"),
            "priorities": min(4, len(detail.groups)) or None,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["action"] == "open":
                services.ranking_open(alliance=alliance, site_url=site_url(request))
                messages.success(request, _("The ranking is open: members can rank the groups."))
            else:
                created = services.ranking_close(
                    alliance=alliance, priorities=form.cleaned_data["priorities"] or 0
                )
                messages.success(
                    request,
                    _("The ranking is closed: %(n)s priority reform areas are agreed.")
                    % {"n": len(created)},
                )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            return redirect("strategy:preassessment", slug=slug)
    action = form["action"].value()
    return render(
        request,
        "strategy/ranking_state.html",
        {"alliance": alliance, "form": form, "detail": detail, "closing": action == "close"},
        status=400 if form.errors else 200,
    )


# --- learning strategy ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def strategy_page(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The shared topics and every member's part; the facilitator starts the parts (POST)."""
    alliance = access_alliance_inside(request.user, slug)
    if request.method == "POST":
        alliance = access_alliance_for_strategy_manage(request.user, slug)
        created = services.strategy_parts_start(alliance=alliance)
        messages.success(
            request,
            ngettext(
                "%(n)s member now has a part to fill in and confirm.",
                "%(n)s members now have a part to fill in and confirm.",
                len(created),
            )
            % {"n": len(created)},
        )
        return redirect("strategy:strategy", slug=slug)
    detail = strategy_detail(user=request.user, alliance=alliance)
    return render(request, "strategy/strategy.html", {"alliance": alliance, "detail": detail})


@login_required
@require_http_methods(["GET", "POST"])
def part_edit(request: AuthenticatedHttpRequest, slug: str, part_id: int) -> HttpResponse:
    """A member's part: the expected result and the learning objectives."""
    alliance = access_alliance_inside(request.user, slug)
    part = access_part_for_edit(request.user, alliance, part_id)
    part.alliance = alliance
    view = part_detail(user=request.user, part=part)
    topics = [(p.id, p.title) for p in alliance.priorities.all()]
    teachers = teachers_for(user=request.user, part=part)
    kwargs = {"topics": topics, "teachers": teachers}
    if request.method == "POST":
        form = PartForm(request.POST)
        formset = ObjectiveFormSet(request.POST, prefix="objectives", form_kwargs=kwargs)
    else:
        form = PartForm(initial={"expected_result": part.expected_result})
        formset = ObjectiveFormSet(
            prefix="objectives",
            form_kwargs=kwargs,
            initial=[
                {
                    "what": o.what,
                    "topic": o.topic_id,
                    "learn_from": o.learn_from_id,
                    "methods": o.methods,
                }
                for o in view.objectives
            ],
        )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        topic_by_id = {p.id: p for p in alliance.priorities.all()}
        teacher_ids = {i for i, _n in teachers}
        from peerlearn.accounts.models import User

        teacher_by_id = User.objects.in_bulk(teacher_ids)
        objectives = []
        for f in formset.forms:
            d = f.cleaned_data
            if not d or d.get("DELETE") or not (d.get("what") or "").strip():
                continue
            objectives.append(
                services.ObjectiveInput(
                    what=d["what"],
                    topic=topic_by_id.get(d["topic"]) if d.get("topic") else None,
                    learn_from=teacher_by_id.get(d["learn_from"]) if d.get("learn_from") else None,
                    methods=tuple(d.get("methods") or ()),
                )
            )
        try:
            services.strategy_part_update(
                part=part,
                expected_result=form.cleaned_data["expected_result"],
                objectives=objectives,
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            gaps = services.strategy_part_confirm_problems(part)
            if part.member_id == request.user.id and gaps:
                messages.warning(
                    request,
                    _("Your part is saved. Before you can confirm it: %(gaps)s")
                    % {"gaps": " ".join(m for ms in gaps.values() for m in ms)},
                )
            elif part.member_id == request.user.id:
                messages.success(request, _("Your part is saved. Confirm it when it is right."))
            else:
                messages.success(
                    request, _("The part is saved; the member is asked to confirm it again.")
                )
            return redirect("strategy:strategy", slug=slug)
    return render(
        request,
        "strategy/part_edit.html",
        {"alliance": alliance, "part": view, "form": form, "formset": formset},
        status=400 if (form.errors or formset.total_error_count()) else 200,
    )


@login_required
@require_POST
def part_confirm(request: AuthenticatedHttpRequest, slug: str, part_id: int) -> HttpResponse:
    alliance = access_alliance_inside(request.user, slug)
    part = access_part_for_confirm(request.user, alliance, part_id)
    part.alliance = alliance
    try:
        services.strategy_part_confirm(part=part)
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("You confirmed your part of the learning strategy."))
    return _part_answer(request, slug, part)


@login_required
@require_POST
def part_remind(request: AuthenticatedHttpRequest, slug: str, part_id: int) -> HttpResponse:
    alliance = access_alliance_inside(request.user, slug)
    part = access_part_for_reminder(request.user, alliance, part_id)
    part.alliance = alliance
    try:
        services.strategy_part_remind(part=part, by=request.user, site_url=site_url(request))
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
    else:
        name = member_name(user=request.user, alliance=alliance, member_id=part.member_id)
        messages.success(request, _("A reminder is on its way to %(name)s.") % {"name": name})
    return _part_answer(request, slug, part)


def _part_answer(request: AuthenticatedHttpRequest, slug: str, part: StrategyPart) -> HttpResponse:
    if getattr(request, "htmx", False):
        part.refresh_from_db()
        # htmx swaps only the part: its outcome (confirmed, reminded, or why not) shows in
        # it, and is taken off the queue so it does not wait for the next page. The page's
        # count of confirmed parts comes along, swapped out of band.
        confirmed, total = parts_confirmed(alliance=part.alliance)
        return render(
            request,
            "strategy/strategy.html#part",
            {
                "p": part_detail(user=request.user, part=part),
                "alliance": part.alliance,
                "notices": list(messages.get_messages(request)),
                "count": {"confirmed": confirmed, "total": total},
            },
        )
    # Without JavaScript, back to the part the button was in, not to the top of the page.
    return redirect(reverse("strategy:strategy", args=[slug]) + f"#part-{part.id}")
