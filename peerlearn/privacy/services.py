"""Erasing one's own account: in one transaction, or not at all."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.access.accounts import (
    kept_private_q,
    published_for_others_q,
    shared_in_alliances_q,
)
from peerlearn.access.visibility import Visibility
from peerlearn.accounts.models import ERASED_USERNAME_PREFIX
from peerlearn.activities.models import ActivityFeedback, CalendarSettings
from peerlearn.audit.models import AuditAction
from peerlearn.audit.services import audit_person_forget, audit_record
from peerlearn.discussions.models import Notice, Post, Thread, ThreadFollow
from peerlearn.discussions.services import mentions_forget
from peerlearn.evidence.models import DiaryEntry
from peerlearn.initiatives.models import Initiative, InitiativeStatus
from peerlearn.library.models import Case, ItemStatus, Resource
from peerlearn.matchmaking.models import (
    CallApplication,
    CallInvitation,
    ExcludedPair,
    ProposalMember,
)
from peerlearn.notifications.models import DigestPreference
from peerlearn.peers.models import (
    Authorisation,
    Challenge,
    ContactMessage,
    Experience,
    PeerProfile,
)
from peerlearn.strategy.models import LearningNeed

if TYPE_CHECKING:
    from peerlearn.accounts.models import User


def _delete(qs: QuerySet[Any]) -> int:
    """Delete ``qs``; how many of its own rows went (not the rows that cascaded with them)."""
    return qs.delete()[1].get(qs.model._meta.label, 0)


def _erase_content(user: User, *, delete_shared: bool) -> dict[str, int]:
    """What the person wrote beyond their profile. Private or unpublished work goes; what
    others could read (posts, published library items and initiatives, alliance diary
    entries, learning needs, activity feedback) stays by "a former member", unless
    ``delete_shared``. Returns how many such records went and stayed."""
    gone = kept = 0
    shared = published_for_others_q(ItemStatus.PUBLISHED)
    for model in (Case, Resource):
        items = model.objects.filter(author=user)
        gone += _delete(items if delete_shared else items.exclude(shared))
        kept += model.objects.filter(author=user).count()
    initiatives = Initiative.objects.filter(proposed_by=user)
    published = published_for_others_q(InitiativeStatus.PUBLISHED)
    if delete_shared:
        # A published initiative belongs to the catalogue (cases point at it): it stays,
        # without its proposer.
        initiatives.filter(published).update(proposed_by=None)
    gone += _delete(initiatives.exclude(published))
    kept += initiatives.count()
    diary = DiaryEntry.objects.filter(author=user)
    gone += _delete(diary if delete_shared else diary.filter(kept_private_q()))
    kept += DiaryEntry.objects.filter(author=user).count()
    if delete_shared:
        gone += _delete(LearningNeed.objects.filter(author=user))
        gone += _delete(ActivityFeedback.objects.filter(author=user))
        # Posts keep their place, so that replies still read in order; their text goes.
        posts = Post.objects.filter(author=user, deleted_at__isnull=True)
        gone += posts.update(body="", body_html="", deleted_at=timezone.now())
        Notice.objects.filter(post__author=user).delete()
        # A thread goes when nobody else wrote in it; else it stays with its title.
        alone = Thread.objects.filter(created_by=user).exclude(
            posts__in=Post.objects.exclude(author=user)
        )
        gone += _delete(alone)
    kept += Post.objects.filter(author=user, deleted_at__isnull=True).count()
    kept += Thread.objects.filter(created_by=user).count()
    kept += LearningNeed.objects.filter(author=user).count()
    kept += ActivityFeedback.objects.filter(author=user).count()
    ThreadFollow.objects.filter(user=user).delete()
    Notice.objects.filter(recipient=user).delete()
    DigestPreference.objects.filter(user=user).delete()
    CalendarSettings.objects.filter(user=user).delete()
    return {"deleted_records": gone, "kept_records": kept}


@transaction.atomic
def account_erase(*, user: User, password: str, delete_shared: bool = False) -> dict[str, Any]:
    """Erase ``user``'s account after checking their password.

    Goes: the profile's content (position, biography, gender, languages, reform areas),
    every statement not shared inside an alliance (all of them with ``delete_shared``),
    authorisation requests, open-call applications and invitations, messages written to or
    by the person through profiles, excluded pairs, reasons given when
    declining a proposal, API tokens, discussion follows and notices, e-mail digest and
    calendar settings, library items and initiatives not published, private diary entries,
    the name, e-mail and user name, the password. Every ``@username`` mention of the
    person, in anyone's posts and in threads' titles and summaries, becomes
    ``@former-member``.
    Stays, by "a former member" (all goes with ``delete_shared``): statements shared
    inside alliances, posts and the threads others wrote in, published library items and
    initiatives, shared diary entries, learning needs, activity feedback. Stays in any case:
    alliance memberships, places in past proposals, authorisation
    decisions taken as an authoriser, matching runs started, and the audit trail, which
    keeps the account's id and pseudonymous key. The account can no longer sign in.
    Returns counts of what went and what stayed (no names)."""
    if user.erased_at is not None:
        raise ValidationError({"password": [_("This account is already erased.")]})
    if not password or not user.check_password(password):
        raise ValidationError(
            {
                "password": [
                    _(
                        "The password is wrong: enter the password you sign in with "
                        "(forgotten it? reset it first)."
                    )
                ]
            }
        )
    names = [user.name]
    username = user.username
    counts: dict[str, Any] = {"deleted_statements": 0, "kept_statements": 0}

    profile = PeerProfile.objects.filter(user=user).first()
    if profile is not None:
        for model in (Challenge, Experience):
            statements = model.objects.filter(peer=profile)
            gone = statements if delete_shared else statements.exclude(shared_in_alliances_q())
            counts["deleted_statements"] += gone.delete()[0]
            counts["kept_statements"] += model.objects.filter(peer=profile).count()
        Authorisation.objects.filter(peer=profile).delete()
        CallApplication.objects.filter(peer=profile).delete()
        ExcludedPair.objects.filter(peer_a=profile).delete()
        ExcludedPair.objects.filter(peer_b=profile).delete()
        CallInvitation.objects.filter(peer=profile).delete()
        ContactMessage.objects.filter(recipient=profile).delete()
        ProposalMember.objects.filter(peer=profile).update(reason="")
        profile.languages.clear()
        profile.reform_areas.clear()
        profile.position = ""
        profile.bio = ""
        profile.gender = ""
        profile.visibility = Visibility.PRIVATE
        profile.save(update_fields=["position", "bio", "gender", "visibility", "updated_at"])

    ContactMessage.objects.filter(sender=user).delete()
    counts.update(_erase_content(user, delete_shared=delete_shared))
    counts["rewritten_mentions"] = mentions_forget(username=username)
    user.api_tokens.all().delete()
    user.username = f"{ERASED_USERNAME_PREFIX}{user.pk}"
    user.email = f"erased-{user.pk}@erased.invalid"
    user.pending_email = ""
    user.name = ""
    user.organisation = None
    user.preferred_language = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.erased_at = timezone.now()
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()

    audit_person_forget(user=user, names=names, username=username)
    audit_record(
        action=AuditAction.ACCOUNT_ERASED,
        actor=user,
        object_type="accounts.user",
        object_id=user.pk,
        detail={**counts, "delete_shared": delete_shared},
    )
    return counts
