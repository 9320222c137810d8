"""Writing peer profiles, challenges, experiences and authorisations."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from peerlearn.access.base import has_role, platform_admins
from peerlearn.access.peers import authorisers_for
from peerlearn.access.roles import Role
from peerlearn.access.visibility import Visibility
from peerlearn.accounts.models import User
from peerlearn.accounts.ratelimit import hit
from peerlearn.core.dates import date_format
from peerlearn.core.mail import notify
from peerlearn.core.selectors import language_list_by_codes, theme_get, theme_list_by_slugs
from peerlearn.peers.models import (
    AUTHORISATION_TRANSITIONS,
    Authorisation,
    AuthorisationStatus,
    AuthoriserAsk,
    Challenge,
    ContactMessage,
    Experience,
    PeerProfile,
    ReformStage,
    Seniority,
)
from peerlearn.peers.selectors import (
    authoriser_ask_invite_path,
    authoriser_asks_open,
    authorisers_waited_on,
)

_PROFILE_FIELDS = (
    "position",
    "seniority",
    "gender",
    "reform_stage",
    "bio",
    "visibility",
    "accepts_contact",
)


@transaction.atomic
def peer_profile_create(
    *,
    user: User,
    position: str,
    languages: Iterable[str],
    seniority: int = Seniority.OFFICER,
    reform_stage: int = ReformStage.IDENTIFYING,
    reform_areas: Iterable[str] = (),
    gender: str = "",
    bio: str = "",
    visibility: str = Visibility.PLATFORM,
    accepts_contact: bool = True,
) -> PeerProfile:
    if PeerProfile.objects.filter(user=user).exists():
        raise ValidationError({"user": [_("This user already has a peer profile.")]})
    if user.organisation_id is None:
        raise ValidationError(
            {"organisation": [_("A peer belongs to an organisation: choose or add yours.")]}
        )
    language_rows = language_list_by_codes(codes=languages)
    themes = theme_list_by_slugs(slugs=reform_areas)
    profile = PeerProfile(
        user=user,
        position=position.strip(),
        seniority=seniority,
        reform_stage=reform_stage,
        gender=gender.strip(),
        bio=bio.strip(),
        visibility=visibility,
        accepts_contact=accepts_contact,
    )
    profile.full_clean(exclude=["user"])
    profile.save()
    profile.languages.set(language_rows)
    profile.reform_areas.set(themes)
    return profile


@transaction.atomic
def peer_profile_update(*, peer: PeerProfile, data: dict[str, Any]) -> PeerProfile:
    """Change the given fields of a profile. ``languages`` and ``reform_areas`` take codes
    and slugs; ``name`` and ``organisation`` change the user. All or nothing."""
    changed: list[str] = []
    for field in _PROFILE_FIELDS:
        if field in data and data[field] is not None:
            value = data[field].strip() if isinstance(data[field], str) else data[field]
            setattr(peer, field, value)
            changed.append(field)
    language_rows = (
        language_list_by_codes(codes=data["languages"])
        if data.get("languages") is not None
        else None
    )
    themes = (
        theme_list_by_slugs(slugs=data["reform_areas"])
        if data.get("reform_areas") is not None
        else None
    )
    peer.full_clean(exclude=["user"])
    user_changed: list[str] = []
    if data.get("name") is not None:
        peer.user.name = data["name"].strip()
        user_changed.append("name")
    if data.get("organisation") is not None:
        peer.user.organisation = data["organisation"]
        user_changed.append("organisation")
    if user_changed:
        peer.user.full_clean(exclude=["password"])
        peer.user.save(update_fields=user_changed)
    if changed:
        peer.save(update_fields=[*changed, "updated_at"])
    if language_rows is not None:
        peer.languages.set(language_rows)
    if themes is not None:
        peer.reform_areas.set(themes)
    return peer


StatementModel = type[Challenge] | type[Experience]


def _validate_alliance_for(peer: PeerProfile, alliance: Any) -> None:
    if alliance is None:
        return
    if not alliance.memberships.filter(user_id=peer.user_id).exists():
        raise ValidationError(
            {"alliance": [_("You can only link this to a learning alliance you belong to.")]}
        )


@transaction.atomic
def statement_create(
    *,
    model: StatementModel,
    peer: PeerProfile,
    theme: str,
    title: str,
    description: str,
    visibility: str = Visibility.PLATFORM,
    alliance: Any = None,
) -> Challenge | Experience:
    """Create a challenge (demand) or an experience (supply) for ``peer``; the same one
    sent twice (a form sent again from the browser's history) is refused, not doubled."""
    theme_row = theme_get(slug=theme)
    _validate_alliance_for(peer, alliance)
    if model.objects.filter(
        peer=peer, title__iexact=title.strip(), description=description.strip()
    ).exists():
        raise ValidationError(
            {
                "title": [
                    _(
                        "You already have this one, with the same title and description: "
                        "change it from your profile, or give this one its own title."
                    )
                ]
            }
        )
    statement = model(
        peer=peer,
        theme=theme_row,
        title=title.strip(),
        description=description.strip(),
        visibility=visibility,
        alliance=alliance,
    )
    statement.full_clean()
    statement.save()
    return statement


def challenge_create(**kwargs: Any) -> Challenge:
    return statement_create(model=Challenge, **kwargs)  # type: ignore[return-value]


def experience_create(**kwargs: Any) -> Experience:
    return statement_create(model=Experience, **kwargs)  # type: ignore[return-value]


@transaction.atomic
def statement_update(
    *, statement: Challenge | Experience, data: dict[str, Any]
) -> Challenge | Experience:
    changed: list[str] = []
    if data.get("theme") is not None:
        statement.theme = theme_get(slug=data["theme"])
        changed.append("theme")
    for field in ("title", "description", "visibility"):
        if data.get(field) is not None:
            setattr(statement, field, data[field].strip())
            changed.append(field)
    if "alliance" in data:
        _validate_alliance_for(statement.peer, data["alliance"])
        statement.alliance = data["alliance"]
        changed.append("alliance")
    statement.full_clean()
    if changed:
        statement.save(update_fields=[*changed, "updated_at"])
    return statement


def statement_delete(*, statement: Challenge | Experience) -> None:
    statement.delete()


@transaction.atomic
def authorisation_request(
    *, peer: PeerProfile, authoriser: User, scope: str, site_url: str = ""
) -> Authorisation:
    """Ask an authoriser of the peer's home organisation to authorise their participation."""
    if not has_role(authoriser, Role.AUTHORISER):
        raise ValidationError({"authoriser": [_("Choose a person with the authoriser role.")]})
    if authoriser.organisation_id != peer.user.organisation_id:
        raise ValidationError(
            {"authoriser": [_("The authoriser must belong to your own organisation.")]}
        )
    if authorisers_waited_on(peer).filter(authoriser_id=authoriser.id).exists():
        raise ValidationError(
            {"authoriser": [_("You already asked this person; wait for their decision.")]}
        )
    authorisation = Authorisation(peer=peer, authoriser=authoriser, scope=scope.strip())
    authorisation.full_clean()
    authorisation.save()
    notify(
        [authoriser],
        "peers/email/authorisation_requested",
        {
            "peer": peer.user.name,
            "scope": authorisation.scope,
            "url": site_url + reverse("peers:authorisation_decision", args=[authorisation.id]),
        },
    )
    return authorisation


def authoriser_invitation_ask(
    *, peer: PeerProfile, name: str, email: str, note: str = "", site_url: str = ""
) -> int:
    """Ask the platform's administrators to invite the person ``peer`` names as their home
    organisation's authoriser, when the organisation has none here yet; returns how many
    administrators were written to. The request is kept (:class:`AuthoriserAsk`): the peer
    reads it on their page, and it waits on the administrators' "What needs you" until an
    account with that address exists. Its rate is ``PEERLEARN_AUTHORISER_ASK_RATE``."""
    user = peer.user
    name, email = name.strip(), email.strip()
    errors: dict[str, list[str]] = {}
    if user.organisation_id is None:
        errors["authoriser_name"] = [
            _("Choose your organisation on your profile first: the authoriser belongs to it.")
        ]
    elif authorisers_for(user=user).exists():
        errors["authoriser_name"] = [
            _("Your organisation has an authoriser here already: ask them with the form above.")
        ]
    if not name:
        errors.setdefault("authoriser_name", []).append(_("Write the person's name."))
    if email.casefold() == user.email.casefold():
        errors["authoriser_email"] = [
            _("Name someone else: a peer cannot authorise their own participation.")
        ]
    asked = authoriser_asks_open().filter(peer=peer, email__iexact=email).first()
    if email and asked is not None and "authoriser_email" not in errors:
        errors["authoriser_email"] = [
            _(
                "You asked the administrators to invite them on %(day)s: they have it. Once "
                "they are invited, you are e-mailed."
            )
            % {"day": date_format(timezone.localtime(asked.asked_at), "DATE_FORMAT")}
        ]
    admins = list(platform_admins())
    if not admins and not errors:
        errors["authoriser_name"] = [
            _("The platform has no administrator to ask yet: write to whoever runs it.")
        ]
    if errors:
        raise ValidationError(errors)
    # Counted once it is sure to be sent: a form sent back for a mistake costs nothing.
    wait = hit("authoriser-ask", f"user:{user.pk}", settings.PEERLEARN_AUTHORISER_ASK_RATE)
    if wait is not None:
        raise ValidationError(
            {
                "authoriser_name": [
                    _(
                        "You have asked the administrators several times today: they have "
                        "your requests. Ask again in %(hours)s hours if nobody answers."
                    )
                    % {"hours": max(1, round(wait / 3600))}
                ]
            }
        )
    assert user.organisation is not None
    ask = AuthoriserAsk.objects.create(peer=peer, name=name, email=email)
    notify(
        admins,
        "peers/email/authoriser_ask",
        {
            "peer": user.name,
            "peer_email": user.email,
            "organisation": user.organisation.name,
            "country": (
                user.organisation.country.display_name
                if user.organisation.country
                else _("international")
            ),
            "authoriser_name": name,
            "authoriser_email": email,
            "note": note.strip(),
            # The peer's language is a fair guess at their colleague's.
            "invite_url": site_url
            + authoriser_ask_invite_path(ask, language=translation.get_language() or ""),
            "users_url": site_url
            + reverse("admin:accounts_user_changelist")
            + "?"
            + urlencode({"q": email}),
        },
        reply_to=[user.email],
    )
    return len(admins)


def authoriser_asks_answer(*, user: User, site_url: str = "") -> int:
    """Once ``user`` has an account, the peers who asked for them to be invited are told to
    ask them, and their requests are answered. Returns how many peers were told."""
    asks = list(
        AuthoriserAsk.objects.filter(email__iexact=user.email, answered_at__isnull=True)
        .select_related("peer__user")
        .order_by("id")
    )
    if not asks:
        return 0
    AuthoriserAsk.objects.filter(id__in=[a.id for a in asks]).update(answered_at=timezone.now())
    peers = list({a.peer.user_id: a.peer.user for a in asks}.values())
    notify(
        peers,
        "peers/email/authoriser_invited",
        {
            "authoriser": user.name,
            "role": Role(user.role).label,  # in each recipient's language
            "url": site_url + reverse("peers:authorisation_new"),
        },
    )
    return len(peers)


@transaction.atomic
def authorisation_decide(
    *,
    authorisation: Authorisation,
    status: str,
    note: str = "",
    on: date | None = None,
    site_url: str = "",
) -> Authorisation:
    """Record the authoriser's decision and tell the peer. ``status`` must be one the request
    can move to now (:data:`AUTHORISATION_TRANSITIONS`)."""
    allowed = set(AUTHORISATION_TRANSITIONS.get(authorisation.status, {}).values())
    if status not in allowed:
        new = dict(AuthorisationStatus.choices).get(status, status)
        raise ValidationError(
            {
                "status": [
                    _("A request that is “%(current)s” cannot become “%(new)s”.")
                    % {"current": authorisation.get_status_display(), "new": new}
                ]
            }
        )
    authorisation.status = status
    authorisation.note = note.strip()
    authorisation.decided_on = on or timezone.localdate()
    authorisation.full_clean()
    authorisation.save(update_fields=["status", "note", "decided_on"])
    notify(
        [authorisation.peer.user],
        "peers/email/authorisation_decided",
        {
            "authoriser": authorisation.authoriser.name,
            "status": AuthorisationStatus(authorisation.status).label,
            "note": authorisation.note,
            "url": site_url + reverse("peers:authorisation_new"),
        },
    )
    return authorisation


# --- messages to a peer through the platform -----------------------------------------------

#: How many messages one person may write to the same peer in a day (beyond the per-account
#: rate limit of the form, ``PEERLEARN_CONTACT_RATE``).
CONTACT_PER_PEER_PER_DAY = 3


@transaction.atomic
def contact_message_send(
    *, sender: User, recipient: PeerProfile, subject: str, body: str, site_url: str = ""
) -> ContactMessage:
    """Write to a peer: the message is kept and e-mailed to the peer with Reply-To set to the
    sender, so the peer's address stays unknown to the sender until the peer answers. The
    caller has checked that ``sender`` may see ``recipient`` (the access layer)."""
    from peerlearn.audit.models import AuditAction
    from peerlearn.audit.services import audit_record

    if not sender.email_verified:
        raise ValidationError(
            {"body": [_("Confirm your e-mail address first: follow the link we sent you.")]}
        )
    if recipient.user_id == sender.id:
        raise ValidationError({"body": [_("This is your own profile.")]})
    if not recipient.accepts_contact:
        raise ValidationError(
            {"body": [_("This peer does not take messages through the platform.")]}
        )
    since = timezone.now() - timedelta(days=1)
    recent = ContactMessage.objects.filter(
        sender=sender, recipient=recipient, sent_at__gte=since
    ).count()
    if recent >= CONTACT_PER_PEER_PER_DAY:
        raise ValidationError(
            {
                "body": [
                    _(
                        "You wrote to this peer %(n)s times today: wait for an answer, or "
                        "write again tomorrow."
                    )
                    % {"n": recent}
                ]
            }
        )
    message = ContactMessage(
        sender=sender, recipient=recipient, subject=subject.strip(), body=body.strip()
    )
    message.full_clean()
    message.save()
    audit_record(
        action=AuditAction.CREATE,
        actor=sender,
        object_type="peers.contactmessage",
        object_id=message.id,
        detail={"recipient": recipient.id},
    )
    notify(
        [recipient.user],
        "peers/email/contact",
        {
            "sender": sender.name,
            "organisation": str(sender.organisation or ""),
            "subject": message.subject,
            "body": message.body,
            "profile_url": site_url + reverse("peers:profile_edit"),
        },
        reply_to=[sender.email],
    )
    return message
