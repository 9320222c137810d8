"""The link an invitation e-mail carries, in each state of its invitation, signed out and
signed in: one that can no longer be accepted says so before anyone is asked to sign in,
let alone to join the platform, and tells a stranger nothing the e-mail did not."""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.formats import date_format

from peerlearn.alliances.closing import alliance_close, alliance_reopen
from peerlearn.alliances.invitations import INVITATION_MAX_AGE_DAYS, invitation_token
from peerlearn.alliances.models import AllianceInvitation, MemberRole
from peerlearn.alliances.services import (
    alliance_invite_email,
    invitation_accept,
    invitation_withdraw,
)
from peerlearn.conftest import make_peer

pytestmark = pytest.mark.django_db

SIGN_UP = reverse("accounts:signup")
SIGN_IN = reverse("login")
SPENT = "This invitation cannot be accepted any more"


def client_for(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _invited(world: SimpleNamespace, email: str = "late@example.org") -> AllianceInvitation:
    invitation = alliance_invite_email(
        alliance=world.inner, email=email, role=MemberRole.OBSERVER, by=world.facilitator
    )
    assert invitation is not None
    return invitation


def _link(invitation: AllianceInvitation) -> str:
    return reverse("alliances:invitation", args=[invitation_token(invitation.id)])


def test_an_open_invitation_asks_to_sign_in_or_join(world: SimpleNamespace) -> None:
    link = _link(_invited(world))
    page = client_for().get(link).content.decode()
    assert "Join County Revenue Alliance" in page
    assert f'href="{SIGN_IN}?next=' in page and f'href="{SIGN_UP}?next=' in page
    assert SPENT not in page


def test_a_closed_alliances_invitation_says_so_before_any_sign_up(
    world: SimpleNamespace,
) -> None:
    invitation = _invited(world)
    link = _link(invitation)
    alliance_close(alliance=world.inner, by=world.facilitator, note="Stopped: the funding ended.")
    world.inner.refresh_from_db()
    response = client_for().get(link)
    assert response.status_code == 200
    page = response.content.decode()
    assert "County Revenue Alliance is closed: it takes no new members for now" in page
    # Neither way in is offered: neither can lead to a membership.
    assert f"{SIGN_UP}?next=" not in page and f"{SIGN_IN}?next=" not in page
    assert "Accept and join" not in page
    # Only the name the e-mail gave: not when or why it closed, nor who runs it.
    assert world.inner.closing_note not in page
    assert date_format(world.inner.closed_on, "DATE_FORMAT") not in page
    assert str(world.facilitator) not in page
    # Sent as a form, the same.
    assert "takes no new members for now" in client_for().post(link).content.decode()
    # Signed in: what refuses the acceptance is said before the button, which is not offered,
    # and accepting anyway is refused.
    newcomer = make_peer("newcomer", world.county_a).user
    signed_in = client_for(newcomer).get(link).content.decode()
    assert "was closed on" in signed_in and "Accept and join" not in signed_in
    refused = client_for(newcomer).post(link)
    assert refused.status_code == 400 and "was closed on" in refused.content.decode()
    assert not world.inner.memberships.filter(user=newcomer).exists()
    # Reopened, the same link invites again.
    alliance_reopen(alliance=world.inner, by=world.facilitator, note="New funding.")
    again = client_for().get(link).content.decode()
    assert f'href="{SIGN_UP}?next=' in again and "takes no new members" not in again
    assert client_for(newcomer).post(link).status_code == 302


def _assert_spent_signed_out(link: str) -> None:
    response = client_for().get(link)
    assert response.status_code == 200
    page = response.content.decode()
    assert SPENT in page
    # Not sent to join the platform for nothing; whoever accepted it may sign in.
    assert f"{SIGN_UP}?next=" not in page
    assert f'href="{SIGN_IN}?next=' in page
    assert "County Revenue Alliance" not in page


def test_a_withdrawn_invitation_says_so_before_any_sign_up(world: SimpleNamespace) -> None:
    invitation = _invited(world)
    link = _link(invitation)
    invitation_withdraw(invitation=invitation, by=world.facilitator)
    _assert_spent_signed_out(link)
    newcomer = make_peer("newcomer", world.county_a).user
    assert client_for(newcomer).get(link).status_code == 404
    assert client_for(newcomer).post(link).status_code == 404


def test_an_expired_invitation_says_so_before_any_sign_up(
    world: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    invitation = _invited(world)
    sent = time.time() - (INVITATION_MAX_AGE_DAYS + 1) * 86400
    with monkeypatch.context() as m:
        m.setattr("django.core.signing.time.time", lambda: sent)
        link = _link(invitation)
    _assert_spent_signed_out(link)
    newcomer = make_peer("newcomer", world.county_a).user
    assert client_for(newcomer).get(link).status_code == 404
    # The invitation itself is still open: a fresh link to it works.
    assert client_for().get(_link(invitation)).content.decode().count(f"{SIGN_UP}?next=") == 1


def test_a_used_invitation_says_so_and_leads_its_member_to_the_alliance(
    world: SimpleNamespace,
) -> None:
    invitation = _invited(world)
    link = _link(invitation)
    newcomer = make_peer("newcomer", world.county_a).user
    invitation_accept(invitation=invitation, user=newcomer)
    _assert_spent_signed_out(link)
    # Signed in: its new member is led to the alliance; anyone else is told it is spent.
    assert client_for(newcomer).get(link)["Location"] == reverse(
        "alliances:detail", args=[world.inner.slug]
    )
    assert client_for(world.outsider.user).get(link).status_code == 404


def test_a_forged_link_names_nothing(world: SimpleNamespace) -> None:
    _assert_spent_signed_out(reverse("alliances:invitation", args=["forged-token"]))
