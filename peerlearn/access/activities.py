"""Activities, their feedback, action plans and calendar feeds: alliance-internal content.

Whoever is inside an alliance's safe space (members in any role, the alliance's funders)
reads its activities, outputs and action plans; its facilitators (and administrators)
create, change and cancel activities and record attendance. A member organisation's action
plan is edited by that organisation's people in the alliance and by the facilitators.
Feedback is read by its author, and by the alliance's facilitators (named only if signed;
an unsigned answer only among enough others, :func:`feedback_unsigned_shown`).
A calendar feed answers its owner's secret address with what its owner may see.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from peerlearn.access.alliances import alliances_managed_by
from peerlearn.access.base import (
    AccessDenied,
    NotFound,
    Viewer,
    inner_alliance_ids,
    is_platform_admin,
    is_signed_in,
)

if TYPE_CHECKING:
    from peerlearn.accounts.models import User
    from peerlearn.activities.models import (
        ActionPlan,
        ActionPlanAction,
        Activity,
        ActivityFeedback,
        Milestone,
    )


def _inside_q(user: Viewer, field: str = "alliance_id") -> Q | None:
    """``None`` for everything (administrators), else the alliances the user is inside."""
    if is_platform_admin(user):
        return None
    return Q(**{f"{field}__in": inner_alliance_ids(user)})


def activities_visible_to(user: Viewer) -> QuerySet[Activity]:
    from peerlearn.activities.models import Activity

    qs = Activity.objects.all()
    if not is_signed_in(user):
        return qs.none()
    q = _inside_q(user)
    return qs if q is None else qs.filter(q)


def access_activity_by_id(user: Viewer, activity_id: int) -> Activity:
    activity = activities_visible_to(user).filter(id=activity_id).first()
    if activity is None:
        raise NotFound(_("No such activity."))
    return activity


def can_see_alliance_activities(user: Viewer, alliance_id: int) -> bool:
    """Inside the alliance's safe space (or an administrator)."""
    if not is_signed_in(user):
        return False
    if is_platform_admin(user):
        return True
    return alliance_id in inner_alliance_ids(user)


def can_manage_activities(user: Viewer, alliance_id: int) -> bool:
    """The user facilitates the alliance (or administers the platform)."""
    return alliances_managed_by(user).filter(id=alliance_id).exists()


def access_activity_for_manage(user: Viewer, activity_id: int) -> Activity:
    activity = access_activity_by_id(user, activity_id)
    if can_manage_activities(user, activity.alliance_id):
        return activity
    raise AccessDenied(_("Only the alliance's facilitators may change its activities."))


def can_give_feedback(user: Viewer, activity: Activity) -> bool:
    """A participant of a held activity (started, not cancelled) answers the feedback form,
    unless recorded as absent."""
    from peerlearn.activities.models import ActivityStatus

    if not is_signed_in(user):
        return False
    if activity.status == ActivityStatus.CANCELLED:
        return False
    return activity.participations.filter(user=user).exclude(attended=False).exists()


def access_activity_for_feedback(user: Viewer, activity_id: int) -> Activity:
    activity = access_activity_by_id(user, activity_id)
    if can_give_feedback(user, activity):
        return activity
    raise AccessDenied(_("Only the activity's participants who attended give feedback on it."))


def feedback_visible_to(user: Viewer) -> QuerySet[ActivityFeedback]:
    """One's own feedback, and all feedback in the alliances one facilitates."""
    from peerlearn.activities.models import ActivityFeedback

    qs = ActivityFeedback.objects.all()
    if is_platform_admin(user):
        return qs
    if not is_signed_in(user):
        return qs.none()
    q = Q(author=user)
    q |= Q(alliance_id__in=alliances_managed_by(user).values("id"))
    return qs.filter(q)


def feedback_author_named_to(user: Viewer, feedback: ActivityFeedback) -> bool:
    """Facilitators read the author's name only if the author signed the feedback."""
    if is_signed_in(user) and feedback.author_id == user.id:
        return True
    return feedback.signed


#: Fewer unsigned answers than this, and what they say is read only by their authors: the
#: averages their scores count in, and their comments. With one or two, the facilitators
#: (who see who attended, and the signed answers by name) could tell whose they are, while
#: the feedback form promises them only "the figures of everyone together" and "your comment
#: without your name unless you sign it". Counted over the unsigned answers, not all of them:
#: of three answers two of them signed, the third is nobody's but the one who did not sign.
FEEDBACK_AVERAGES_FROM = 3


def feedback_unsigned_shown(unsigned: int) -> bool:
    """What an activity's ``unsigned`` answers say together — the averages their scores
    count in, and their comments — is read once :data:`FEEDBACK_AVERAGES_FROM` people have
    answered without signing (or when nobody has: every answer is then named anyway)."""
    return unsigned == 0 or unsigned >= FEEDBACK_AVERAGES_FROM


def feedback_scores_shown_to(user: Viewer, feedback: ActivityFeedback) -> bool:
    """One answer's own scores are read where its author is named (signed, or one's own);
    an unsigned answer's count only in the averages."""
    return feedback_author_named_to(user, feedback)


def feedback_averages_shown(*, unsigned: int) -> bool:
    """An activity's averages are read as :func:`feedback_unsigned_shown` says: with fewer
    unsigned answers, the signed answers' scores (read one by one) would tell theirs."""
    return feedback_unsigned_shown(unsigned)


def feedback_comment_shown_to(user: Viewer, feedback: ActivityFeedback, *, unsigned: int) -> bool:
    """A comment is read with its author's name where they signed it (or it is one's own);
    an unsigned one, without a name, once the activity has enough unsigned answers
    (:func:`feedback_unsigned_shown`; ``unsigned`` counts them, over the whole activity)."""
    if feedback_author_named_to(user, feedback):
        return True
    return feedback_unsigned_shown(unsigned)


def feedback_answered_at_shown_to(user: Viewer, feedback: ActivityFeedback) -> bool:
    """When someone answered is read only where their name is: the time would tell the
    facilitators who wrote an unsigned answer (the one who left the room first)."""
    return feedback_author_named_to(user, feedback)


def action_plans_visible_to(user: Viewer) -> QuerySet[ActionPlan]:
    from peerlearn.activities.models import ActionPlan

    qs = ActionPlan.objects.all()
    if not is_signed_in(user):
        return qs.none()
    q = _inside_q(user)
    return qs if q is None else qs.filter(q)


def milestones_visible_to(user: Viewer) -> QuerySet[Milestone]:
    from peerlearn.activities.models import Milestone

    qs = Milestone.objects.all()
    if not is_signed_in(user):
        return qs.none()
    q = _inside_q(user)
    return qs if q is None else qs.filter(q)


def access_action_plan_by_id(user: Viewer, plan_id: int) -> ActionPlan:
    plan = action_plans_visible_to(user).filter(id=plan_id).first()
    if plan is None:
        raise NotFound(_("No such action plan."))
    return plan


def action_plans_editable_by(user: Viewer) -> QuerySet[ActionPlan]:
    """Plans the user edits: every plan of the alliances they facilitate, and their own
    organisation's plan in the alliances they are a member of."""
    from peerlearn.alliances.models import AllianceMembership

    qs = action_plans_visible_to(user)
    if is_platform_admin(user):
        return qs
    if not is_signed_in(user):
        return qs.none()
    q = Q(alliance_id__in=alliances_managed_by(user).values("id"))
    if user.organisation_id is not None:
        q |= Q(
            organisation_id=user.organisation_id,
            alliance_id__in=AllianceMembership.objects.filter(user=user).values("alliance_id"),
        )
    return qs.filter(q)


def can_edit_action_plan(user: Viewer, plan: ActionPlan) -> bool:
    """The alliance's facilitators, and the plan organisation's own people in the alliance."""
    return action_plans_editable_by(user).filter(id=plan.id).exists()


def access_action_plan_for_edit(user: Viewer, plan_id: int) -> ActionPlan:
    plan = access_action_plan_by_id(user, plan_id)
    if can_edit_action_plan(user, plan):
        return plan
    raise AccessDenied(
        _("Only the organisation's own members and the facilitators edit this action plan.")
    )


def access_action_for_edit(user: Viewer, action_id: int) -> ActionPlanAction:
    from peerlearn.activities.models import ActionPlanAction

    action = ActionPlanAction.objects.filter(
        id=action_id, plan__in=action_plans_visible_to(user)
    ).first()
    if action is None:
        raise NotFound(_("No such action."))
    access_action_plan_for_edit(user, action.plan_id)
    return action


def access_milestone_for_edit(user: Viewer, milestone_id: int) -> Milestone:
    milestone = milestones_visible_to(user).filter(id=milestone_id).first()
    if milestone is None:
        raise NotFound(_("No such milestone."))
    access_action_for_edit(user, milestone.action_id)
    return milestone


def calendar_owner_by_token(token: str) -> User:
    """The person whose secret calendar address this is; ``NotFound`` for any other."""
    from peerlearn.activities.models import CalendarSettings

    found = (
        CalendarSettings.objects.filter(feed_token=token, user__is_active=True)
        .select_related("user")
        .first()
    )
    if found is None or not token:
        raise NotFound(_("No such calendar."))
    return found.user


def participants_choosable(alliance_id: int) -> QuerySet[User]:
    """Who may be invited to an alliance's activity or own an action: its active members."""
    from peerlearn.accounts.models import User
    from peerlearn.alliances.models import AllianceMembership

    members = AllianceMembership.objects.filter(alliance_id=alliance_id).values("user_id")
    return User.objects.filter(id__in=members, is_active=True).order_by("name")


def plan_organisations_choosable(user: Viewer, alliance_id: int) -> QuerySet[Any]:
    """The member organisations a user may start an action plan for: any of them for the
    alliance's facilitators, their own for a member."""
    from peerlearn.alliances.models import AllianceMembership
    from peerlearn.organisations.models import Organisation

    qs = Organisation.objects.filter(alliance_memberships__alliance_id=alliance_id).order_by("name")
    if can_manage_activities(user, alliance_id):
        return qs
    if not is_signed_in(user) or user.organisation_id is None:
        return qs.none()
    if not AllianceMembership.objects.filter(alliance_id=alliance_id, user=user).exists():
        return qs.none()
    return qs.filter(id=user.organisation_id)


def alliance_ids_with_activities_for(user: Viewer) -> QuerySet[Any]:
    """The alliances whose activities the user sees and whose names they may read (for
    their calendar addresses and the filters)."""
    from peerlearn.alliances.models import LearningAlliance

    qs = LearningAlliance.objects.order_by("slug")
    if not is_signed_in(user):
        return qs.none()
    if is_platform_admin(user):
        return qs
    from peerlearn.access.alliances import alliances_visible_to

    return qs.filter(id__in=inner_alliance_ids(user)).filter(
        id__in=alliances_visible_to(user).values("id")
    )


def people_named_to(user: Viewer, alliance_id: int, user_ids: set[int]) -> set[int]:
    """Which of ``user_ids`` the viewer may see by name in an alliance's activities and
    plans: themselves, and the alliance's members as its page names them
    (:func:`peerlearn.access.alliances.member_named_to`: a peer only where their profile is
    visible to the viewer)."""
    from peerlearn.access.alliances import member_named_to
    from peerlearn.access.peers import peers_visible_to
    from peerlearn.alliances.models import AllianceMembership

    if not is_signed_in(user) or not user_ids:
        return set()
    named = {user.id} & user_ids
    visible = set(
        peers_visible_to(user).filter(user_id__in=user_ids).values_list("user_id", flat=True)
    )
    inside = can_see_alliance_activities(user, alliance_id)
    for membership in AllianceMembership.objects.filter(
        alliance_id=alliance_id, user_id__in=user_ids
    ):
        if member_named_to(
            membership, profile_visible=membership.user_id in visible, inside=inside
        ):
            named.add(membership.user_id)
    return named


def alliance_names_visible_to(user: Viewer, alliance_ids: set[int]) -> set[int]:
    """Which of these alliances the viewer may see named (a private alliance only to its
    facilitators, even where its members read its activities)."""
    from peerlearn.access.alliances import alliances_visible_to

    if not alliance_ids:
        return set()
    return set(alliances_visible_to(user).filter(id__in=alliance_ids).values_list("id", flat=True))
