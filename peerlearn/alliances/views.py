"""Learning alliance pages: the list, one alliance, and moving it through the stages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

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
    alliance_of_accepted_invitation,
    can_create_alliance,
    invitation_named_by_link,
    people_invitable_by,
    require_alliance_creator,
)
from peerlearn.access.base import AccessDenied
from peerlearn.access.initiatives import initiatives_visible_to
from peerlearn.alliances.checklists import QUESTIONS_BY_KEY, questions_for
from peerlearn.alliances.cohort import cohort_import
from peerlearn.alliances.forms import (
    AllianceFilterForm,
    AllianceForm,
    ChecklistForm,
    CohortForm,
    DirectorySearchForm,
    InviteEmailForm,
    LeaveForm,
    MemberAddForm,
    OrganisationForm,
    PriorityForm,
    RiskNoteForm,
    RoleForm,
    StageMoveForm,
)
from peerlearn.alliances.models import AllianceStage, LearningAlliance, MemberRole
from peerlearn.alliances.selectors import (
    AllianceFilters,
    alliance_checklist,
    alliance_detail,
    alliance_history,
    alliance_list,
    alliance_management,
    alliance_page_extras,
    alliance_risk_notes,
    directory_search,
    organisations_in,
    organisations_to_add,
)
from peerlearn.alliances.services import (
    alliance_closed_problems,
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
    checklist_open_questions,
    invitation_accept,
    invitation_accept_problems,
    invitation_withdraw,
    risk_note_create,
    risk_note_delete,
    risk_note_update,
    stage_move_problems,
)
from peerlearn.core.forms import form_add_service_errors
from peerlearn.core.http import (
    AuthenticatedHttpRequest,
    HtmxHttpRequest,
    redirect_to_messages,
    site_url,
)
from peerlearn.core.paging import paginate
from peerlearn.core.pickers import suggestions
from peerlearn.organisations.pickers import ORGANISATIONS


def _to_members(slug: str) -> HttpResponse:
    """Back to the members page at its messages: the form used may sit far down the page."""
    return redirect_to_messages("alliances:members", slug=slug)


def alliance_index(request: HtmxHttpRequest) -> HttpResponse:
    form = AllianceFilterForm(request.GET or None)
    filters = AllianceFilters()
    if form.is_valid():
        d = form.cleaned_data
        filters = AllianceFilters(
            theme=d["theme"].slug if d["theme"] else "",
            stage=d["stage"],
            type=d["type"] or "",
            mine=bool(d["mine"]),
        )
    page, query = paginate(request, alliance_list(user=request.user, filters=filters))
    template = "alliances/list.html" + ("#results" if request.htmx else "")
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "query": query,
            "can_create": can_create_alliance(request.user),
        },
    )


def alliance_page(request: HttpRequest, slug: str) -> HttpResponse:
    alliance = access_alliance_by_slug(request.user, slug)
    detail = alliance_detail(user=request.user, alliance=alliance)
    alliance_page_extras(user=request.user, detail=detail)
    return render(
        request,
        "alliances/detail.html",
        {"detail": detail, "alliance": detail.alliance, "stages": AllianceStage.choices},
    )


@login_required
@require_http_methods(["GET", "POST"])
def alliance_stage(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Moving to another stage: a confirmation page that names the stage and asks why
    (``?to=<stage>``), then the change, recorded on the timeline and e-mailed to members."""
    alliance = access_alliance_for_manage(request.user, slug)
    data = request.POST if request.method == "POST" else None
    form = StageMoveForm(data, initial={"stage": request.GET.get("to")})
    if form.is_valid():
        try:
            alliance_stage_change(
                alliance=alliance,
                stage=form.cleaned_data["stage"],
                changed_by=request.user,
                note=form.cleaned_data["note"],
                site_url=site_url(request),
                open_confirmed=form.cleaned_data["confirm_open"],
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(
                request,
                _("%(alliance)s is now at “%(stage)s”; its members are told by e-mail.")
                % {"alliance": alliance.name, "stage": alliance.get_stage_display()},
            )
            return redirect("alliances:detail", slug=slug)
    target = _stage_or_none(form["stage"].value())
    if target is None:
        messages.error(request, _("Choose the stage to move to from the alliance's page."))
        return redirect("alliances:detail", slug=slug)
    if request.method == "GET" and (
        problems := stage_move_problems(alliance=alliance, stage=target)
    ):
        # Said at once, rather than after the reason is written.
        for message in problems["stage"]:
            messages.error(request, message)
        return redirect("alliances:detail", slug=slug)
    forward = target > alliance.stage
    open_questions = (
        [QUESTIONS_BY_KEY[key] for key in checklist_open_questions(alliance=alliance)]
        if forward
        else []
    )
    if not open_questions:
        del form.fields["confirm_open"]
    return render(
        request,
        "alliances/stage_confirm.html",
        {
            "alliance": alliance,
            "form": form,
            "target": target,
            "forward": forward,
            "open_questions": open_questions,
        },
        status=400 if form.errors else 200,
    )


def _posted(request: HttpRequest) -> Any:
    """The submitted data for a POST (even an empty one), ``None`` for a GET."""
    return request.POST if request.method == "POST" else None


def _stage_or_none(value: object) -> AllianceStage | None:
    try:
        return AllianceStage(int(str(value)))
    except ValueError:
        return None


# --- creating and editing ------------------------------------------------------------------


def _alliance_form_initial(alliance: LearningAlliance) -> dict[str, Any]:
    return {
        "name": alliance.name,
        "theme": alliance.theme.slug,
        "type": alliance.type,
        "purpose": alliance.purpose,
        "working_languages": [lang.code for lang in alliance.working_languages.all()],
        "starts_on": alliance.starts_on,
        "ends_on": alliance.ends_on,
        "visibility": alliance.visibility,
        "initiative": alliance.initiative_id,
        "funders": list(alliance.funders.all()),
    }


def _alliance_changes(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": d["name"],
        "theme": d["theme"].slug,
        "type": d["type"],
        "purpose": d["purpose"],
        "working_languages": [lang.code for lang in d["working_languages"]],
        "starts_on": d["starts_on"],
        "ends_on": d["ends_on"],
        "visibility": d["visibility"],
        "initiative": d["initiative"],
        "funders": list(d["funders"]),
    }


@login_required
@require_http_methods(["GET", "POST"])
def alliance_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A facilitator starts an alliance and becomes its first facilitator."""
    require_alliance_creator(request.user)
    form = AllianceForm(_posted(request), initiatives=initiatives_visible_to(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            alliance = alliance_create(
                created_by=request.user, **_alliance_changes(form.cleaned_data)
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(
                request,
                _("%(name)s is created; you are its facilitator.") % {"name": alliance.name},
            )
            return redirect("alliances:members", slug=alliance.slug)
    return render(
        request,
        "alliances/form.html",
        {"form": form, "alliance": None},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def alliance_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    alliance = access_alliance_for_manage(request.user, slug)
    form = AllianceForm(
        _posted(request),
        initial=_alliance_form_initial(alliance),
        initiatives=initiatives_visible_to(request.user),
        alliance=alliance,
    )
    if request.method == "POST" and form.is_valid():
        try:
            alliance_update(
                alliance=alliance, by=request.user, **_alliance_changes(form.cleaned_data)
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(request, _("The alliance's description is saved."))
            return redirect("alliances:detail", slug=alliance.slug)
    return render(
        request,
        "alliances/form.html",
        {"form": form, "alliance": alliance},
        status=400 if form.errors else 200,
    )


# --- members and invitations -----------------------------------------------------------


def _members_page(
    request: AuthenticatedHttpRequest,
    alliance: LearningAlliance,
    *,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    search = DirectorySearchForm(request.GET or None)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    found = directory_search(user=request.user, alliance=alliance, q=q)
    context = {
        "alliance": alliance,
        "management": alliance_management(user=request.user, alliance=alliance),
        "search": search,
        "q": q,
        "found": found,
        "roles": MemberRole.choices,
        "invite_form": forms.get("invite_form") or InviteEmailForm(),
        "cohort_form": forms.get("cohort_form") or CohortForm(),
        "organisation_form": forms.get("organisation_form")
        or OrganisationForm(prefix="org", alliance=alliance),
        "organisations": list(
            alliance.member_organisations.select_related("organisation").order_by(
                "organisation__name"
            )
        ),
        "add_errors": forms.get("add_errors"),
        "role_errors": forms.get("role_errors"),
        "cohort_result": forms.get("cohort_result"),
    }
    template = "alliances/members.html" + ("#directory" if request.htmx else "")
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET"])
def alliance_members(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The facilitator's page for the alliance's people: members and their roles, open
    invitations, the directory picker, invitations by e-mail and a cohort file."""
    alliance = access_alliance_for_manage(request.user, slug)
    return _members_page(request, alliance)


@login_required
@require_http_methods(["POST"])
def alliance_member_add_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    alliance = access_alliance_for_manage(request.user, slug)
    form = MemberAddForm(request.POST, people=people_invitable_by(request.user))
    if form.is_valid():
        try:
            membership = alliance_member_invite_user(
                alliance=alliance,
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
                by=request.user,
                site_url=site_url(request),
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(
                request,
                _("%(name)s is now a member, as %(role)s.")
                % {"name": membership.user, "role": membership.get_role_display().lower()},
            )
            return _to_members(slug)
    return _members_page(
        request, alliance, status=400, add_errors=[e for errs in form.errors.values() for e in errs]
    )


@login_required
@require_http_methods(["POST"])
def alliance_invite(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    alliance = access_alliance_for_manage(request.user, slug)
    form = InviteEmailForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            invitation = alliance_invite_email(
                alliance=alliance,
                email=d["email"],
                name=d["name"],
                role=d["role"],
                by=request.user,
                site_url=site_url(request),
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            if invitation is None:
                messages.info(
                    request,
                    _("%(email)s is already a member or invited: nothing was sent.")
                    % {"email": d["email"]},
                )
            else:
                messages.success(
                    request, _("The invitation is sent to %(email)s.") % {"email": invitation.email}
                )
            return _to_members(slug)
    return _members_page(request, alliance, status=400, invite_form=form)


@login_required
@require_http_methods(["POST"])
def alliance_cohort(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    alliance = access_alliance_for_manage(request.user, slug)
    form = CohortForm(request.POST, request.FILES)
    result = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = cohort_import(
                alliance=alliance,
                filename=upload.name,
                data=upload.read(),
                by=request.user,
                site_url=site_url(request),
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(
                request,
                _(
                    "%(invited)d invited; %(skipped)d already invited or members "
                    "(not e-mailed again)."
                )
                % {
                    "invited": len(result.invited),
                    "skipped": len(result.already_invited) + len(result.already_members),
                },
            )
            return _to_members(slug)
    return _members_page(request, alliance, status=400, cohort_form=form)


@login_required
@require_http_methods(["POST"])
def alliance_member_role(
    request: AuthenticatedHttpRequest, slug: str, membership_id: int
) -> HttpResponse:
    membership = access_membership_for_manage(request.user, slug, membership_id)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            alliance_member_role_set(
                membership=membership, role=form.cleaned_data["role"], by=request.user
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(
                request,
                _("The member is now %(role)s.") % {"role": membership.get_role_display()},
            )
            return _to_members(slug)
    return _members_page(
        request,
        membership.alliance,
        status=400,
        role_errors=[e for errs in form.errors.values() for e in errs],
    )


@login_required
@require_http_methods(["GET", "POST"])
def alliance_member_remove_view(
    request: AuthenticatedHttpRequest, slug: str, membership_id: int
) -> HttpResponse:
    membership = access_membership_for_manage(request.user, slug, membership_id)
    errors: list[str] = []
    if request.method == "POST":
        try:
            alliance_member_remove(membership=membership, by=request.user)
        except ValidationError as e:
            errors = [m for ms in e.message_dict.values() for m in ms]
        else:
            messages.success(request, _("The member is removed."))
            return _to_members(slug)
    return render(
        request,
        "alliances/member_remove.html",
        {
            "alliance": membership.alliance,
            "membership": membership,
            "named": membership.id
            in alliance_management(user=request.user, alliance=membership.alliance).named,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@login_required
@require_http_methods(["POST"])
def alliance_invitation_withdraw(
    request: AuthenticatedHttpRequest, slug: str, invitation_id: int
) -> HttpResponse:
    invitation = access_invitation_for_manage(request.user, slug, invitation_id)
    try:
        invitation_withdraw(invitation=invitation, by=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(m for ms in e.message_dict.values() for m in ms))
    else:
        messages.success(request, _("The invitation is withdrawn."))
    return _to_members(slug)


@require_http_methods(["GET", "POST"])
def invitation_page(request: HttpRequest, token: str) -> HttpResponse:
    """The link in an invitation e-mail: sign in (or sign up) and accept."""
    if not request.user.is_authenticated:
        return _invitation_signed_out(request, token)
    accepted = alliance_of_accepted_invitation(request.user, token)
    if accepted is not None:
        messages.info(
            request,
            _("You accepted this invitation already: you are a member of %(name)s.")
            % {"name": accepted.name},
        )
        return redirect("alliances:detail", slug=accepted.slug)
    invitation = access_invitation_by_token(request.user, token)
    problems = invitation_accept_problems(invitation=invitation, user=request.user)
    errors: list[str] = []
    if request.method == "POST":
        try:
            invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as e:
            errors = [m for ms in e.message_dict.values() for m in ms]
        else:
            messages.success(
                request, _("Welcome to %(name)s.") % {"name": invitation.alliance.name}
            )
            return redirect("alliances:detail", slug=invitation.alliance.slug)
    return render(
        request,
        "alliances/invitation.html",
        {
            "invitation": invitation,
            "errors": errors,
            # Said before the button rather than after a click that cannot succeed.
            "problems": [m for ms in problems.values() for m in ms] if not errors else [],
            "needs_profile": "peer_profile" in problems,
        },
        status=400 if errors else 200,
    )


def _invitation_signed_out(request: HttpRequest, token: str) -> HttpResponse:
    """Before anyone is asked to sign in, let alone to join the platform, whether the
    invitation can still be accepted: a withdrawn, expired or used link names no open
    invitation, and a closed alliance takes nobody (what refuses the acceptance, in
    ``invitation_accept_problems``, once signed in). Only what the e-mail said is shown: the
    alliance's name, and who invites them as what."""
    invitation = invitation_named_by_link(token)
    if invitation is None:
        return render(request, "alliances/invitation_spent.html", {"next": request.path})
    if alliance_closed_problems(invitation.alliance, field="invitation"):
        return render(request, "alliances/invitation_closed.html", {"invitation": invitation})
    return render(
        request,
        "alliances/invitation_signin.html",
        {"next": request.path, "invitation": invitation},
    )


@login_required
@require_http_methods(["GET", "POST"])
def alliance_leave(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """A member leaves, after confirming; the last facilitator names who takes over."""
    membership = access_own_membership(request.user, slug)
    alliance = membership.alliance
    last_facilitator = membership.is_only_facilitator()
    others = alliance.memberships.exclude(id=membership.id).select_related("user")
    form = LeaveForm(_posted(request), others=others if last_facilitator else None)
    if last_facilitator:
        named = alliance_management(user=request.user, alliance=alliance).named
        form.fields["successor"].label_from_instance = lambda m: (  # type: ignore[attr-defined]
            f"{m.user} ({m.get_role_display()})"
            if m.id in named
            else _("A member whose profile is not shared with you (%(role)s)")
            % {"role": m.get_role_display()}
        )
    if request.method == "POST" and form.is_valid():
        try:
            alliance_member_leave(
                membership=membership, successor=form.cleaned_data.get("successor")
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(request, _("You left %(name)s.") % {"name": alliance.name})
            return redirect("alliances:list")
    return render(
        request,
        "alliances/leave.html",
        {
            "alliance": alliance,
            "form": form,
            "last_facilitator": last_facilitator,
            "others": others.exists(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["POST"])
def alliance_organisations(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Add an organisation to the alliance, or (with ``remove``) take one out."""
    alliance = access_alliance_for_manage(request.user, slug)
    form = OrganisationForm(request.POST, prefix="org", alliance=alliance)
    if form.is_valid():
        organisation = form.cleaned_data["organisation"]
        try:
            if request.POST.get("remove"):
                alliance_organisation_leave(
                    alliance=alliance, organisation=organisation, by=request.user
                )
                messages.success(
                    request, _("%(name)s is out of the alliance.") % {"name": organisation}
                )
            else:
                alliance_organisation_join(
                    alliance=alliance, organisation=organisation, by=request.user
                )
                messages.success(
                    request, _("%(name)s is in the alliance.") % {"name": organisation}
                )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            return _to_members(slug)
    return _members_page(request, alliance, status=400, organisation_form=form)


@login_required
@require_GET
def alliance_organisation_suggestions(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The organisation picker's suggestions on the members page: organisations not in the
    alliance yet."""
    alliance = access_alliance_for_manage(request.user, slug)
    return suggestions(
        request,
        kind=ORGANISATIONS,
        queryset=organisations_to_add(alliance),
        set_aside=(organisations_in(alliance), _("%(item)s is already in the alliance.")),
    )


# --- priorities ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def alliance_priorities(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    alliance = access_alliance_for_manage(request.user, slug)
    form = PriorityForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            alliance_priority_create(alliance=alliance, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(request, _("The priority reform area is added."))
            return redirect("alliances:priorities", slug=slug)
    return render(
        request,
        "alliances/priorities.html",
        {"alliance": alliance, "priorities": list(alliance.priorities.all()), "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def alliance_priority_edit(
    request: AuthenticatedHttpRequest, slug: str, priority_id: int
) -> HttpResponse:
    priority = access_priority_for_manage(request.user, slug, priority_id)
    form = PriorityForm(
        _posted(request), initial={"title": priority.title, "description": priority.description}
    )
    if request.method == "POST" and form.is_valid():
        try:
            alliance_priority_update(priority=priority, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(request, _("The priority reform area is saved."))
            return redirect("alliances:priorities", slug=slug)
    return render(
        request,
        "alliances/priority_edit.html",
        {"alliance": priority.alliance, "priority": priority, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["POST"])
def alliance_priority_move_view(
    request: AuthenticatedHttpRequest, slug: str, priority_id: int
) -> HttpResponse:
    priority = access_priority_for_manage(request.user, slug, priority_id)
    try:
        alliance_priority_move(
            priority=priority, direction=request.POST.get("direction", ""), by=request.user
        )
    except ValidationError as e:
        messages.error(request, " ".join(m for ms in e.message_dict.values() for m in ms))
    return redirect("alliances:priorities", slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def alliance_priority_delete_view(
    request: AuthenticatedHttpRequest, slug: str, priority_id: int
) -> HttpResponse:
    """Asks first (a removed priority is gone, with its place in the order), then removes."""
    priority = access_priority_for_manage(request.user, slug, priority_id)
    if request.method == "GET":
        return render(
            request,
            "alliances/priority_delete.html",
            {"alliance": priority.alliance, "priority": priority},
        )
    alliance_priority_delete(priority=priority, by=request.user)
    messages.success(request, _("The priority reform area is removed."))
    return redirect("alliances:priorities", slug=slug)


# --- the Learning Guide's checklists ------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def alliance_checklist_page(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Every stage's questions with the alliance's answers; facilitators answer those of
    one stage at a time (``?stage=``, the current one by default)."""
    alliance = access_alliance_checklist(request.user, slug)
    checklist = alliance_checklist(user=request.user, alliance=alliance)
    stage = _stage_or_none(request.POST.get("stage") or request.GET.get("stage") or alliance.stage)
    if stage is None:
        stage = AllianceStage(alliance.stage)
    form = None
    saved = False
    if checklist.can_edit:
        section = next(s for s in checklist.stages if s.stage == stage)
        form = ChecklistForm(
            request.POST if request.method == "POST" else None,
            questions=questions_for(stage.value),
            initial={item.key: item.answer for item in section.items},
        )
        if request.method == "POST" and form.is_valid():
            try:
                checklist_answers_save(
                    alliance=alliance, answers=form.cleaned_data, by=request.user
                )
            except ValidationError as e:
                form_add_service_errors(form, e)
            else:
                if not request.htmx:
                    messages.success(request, _("The answers are saved."))
                    return redirect(
                        reverse("alliances:checklist", args=[slug])
                        + f"?stage={stage.value}#stage-{stage.value}"
                    )
                # htmx: the checklist again, with the new answers and open counts.
                checklist = alliance_checklist(user=request.user, alliance=alliance)
                saved = True
    elif request.method == "POST":
        raise AccessDenied(_("Only the alliance's facilitators may do this."))
    # An htmx request gets the checklist alone; its errors are swapped in like any answer.
    template = "alliances/checklist.html" + ("#checklist" if request.htmx else "")
    failed = form is not None and bool(form.errors)
    return render(
        request,
        template,
        {
            "alliance": alliance,
            "checklist": checklist,
            "form": form,
            "editing": stage,
            "saved": saved,
        },
        status=400 if failed and not request.htmx else 200,
    )


# --- political context and risks ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def alliance_risks(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Political context and risk notes, for the alliance's facilitators only."""
    alliance = access_alliance_risks(request.user, slug)
    form = RiskNoteForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            risk_note_create(alliance=alliance, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(request, _("The note is saved."))
            return redirect("alliances:risks", slug=slug)
    return render(
        request,
        "alliances/risks.html",
        {
            "alliance": alliance,
            "notes": alliance_risk_notes(user=request.user, alliance=alliance),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def alliance_risk_edit(request: AuthenticatedHttpRequest, slug: str, note_id: int) -> HttpResponse:
    note = access_risk_note(request.user, slug, note_id)
    form = RiskNoteForm(
        _posted(request), initial={"kind": note.kind, "title": note.title, "body": note.body}
    )
    if request.method == "POST" and form.is_valid():
        try:
            risk_note_update(note=note, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(request, _("The note is saved."))
            return redirect("alliances:risks", slug=slug)
    return render(
        request,
        "alliances/risk_edit.html",
        {"alliance": note.alliance, "note": note, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["POST"])
def alliance_risk_delete(
    request: AuthenticatedHttpRequest, slug: str, note_id: int
) -> HttpResponse:
    note = access_risk_note(request.user, slug, note_id)
    risk_note_delete(note=note, by=request.user)
    messages.success(request, _("The note is removed."))
    return redirect("alliances:risks", slug=slug)


@login_required
@require_http_methods(["GET"])
def alliance_history_page(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    alliance = access_alliance_for_manage(request.user, slug)
    return render(
        request,
        "alliances/history.html",
        {"alliance": alliance, "history": alliance_history(user=request.user, alliance=alliance)},
    )
