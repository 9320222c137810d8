"""Writing to a peer from their profile: the e-mail, what the sender sees, and who may."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from peerlearn.access.peers import contact_messages_visible_to
from peerlearn.audit.models import AuditEvent
from peerlearn.peers.models import ContactMessage
from peerlearn.peers.services import CONTACT_PER_PEER_PER_DAY, contact_message_send

pytestmark = pytest.mark.django_db

SECRET = "zq123456qz the county's unpublished arrears"


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _send(client: Client, peer_id: int, **data: str) -> Any:
    return client.post(
        reverse("peers:contact", args=[peer_id]),
        {"subject": "Revenue sharing", "body": SECRET, **data},
    )


def test_message_reaches_recipient_with_reply_to_sender(
    world: SimpleNamespace, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    sender, recipient = world.outsider.user, world.member_platform
    client = signed_in(sender)
    with django_capture_on_commit_callbacks(execute=True):
        response = _send(client, recipient.id)
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [recipient.user.email]
    assert mail.reply_to == [sender.email]
    assert SECRET in mail.body
    assert "Revenue sharing" in mail.subject
    # The sender never reads the recipient's address: not on the form, not after sending.
    page = client.get(reverse("peers:contact", args=[recipient.id]), follow=True)
    profile = client.get(reverse("peers:profile", args=[recipient.id]))
    for answer in (response, page, profile):
        assert recipient.user.email not in answer.content.decode()
    stored = ContactMessage.objects.get()
    assert (stored.sender, stored.recipient, stored.body) == (sender, recipient, SECRET)
    event = AuditEvent.objects.get(object_type="peers.contactmessage")
    assert event.detail == {"recipient": recipient.id}
    assert SECRET not in str(event.detail)


def test_contact_to_a_hidden_or_missing_profile_is_not_found(world: SimpleNamespace) -> None:
    client = signed_in(world.outsider.user)
    # member_private keeps the profile private; member_alliance shares no alliance with outsider.
    for peer in (world.member_private, world.member_alliance):
        assert client.get(reverse("peers:contact", args=[peer.id])).status_code == 404
        assert _send(client, peer.id).status_code == 404
    assert client.get(reverse("peers:contact", args=[999999])).status_code == 404
    assert not ContactMessage.objects.exists()


def test_anonymous_are_sent_to_sign_in(world: SimpleNamespace) -> None:
    response = Client().get(reverse("peers:contact", args=[world.outsider_public.id]))
    assert response.status_code == 302
    assert "/accounts/" in response["Location"] or "login" in response["Location"]


def test_unverified_sender_cannot_write(world: SimpleNamespace, mailoutbox: Any) -> None:
    sender = world.outsider.user
    sender.email_verified = False
    sender.save(update_fields=["email_verified"])
    response = signed_in(sender).get(reverse("peers:contact", args=[world.member_platform.id]))
    assert response.status_code == 200
    assert "Confirm your e-mail address first" in response.content.decode()
    assert b"<textarea" not in response.content
    response = _send(signed_in(sender), world.member_platform.id)
    assert response.status_code == 400
    assert not ContactMessage.objects.exists()
    assert mailoutbox == []


def test_recipient_may_opt_out(world: SimpleNamespace, mailoutbox: Any) -> None:
    recipient = world.member_platform
    recipient.accepts_contact = False
    recipient.save(update_fields=["accepts_contact"])
    client = signed_in(world.outsider.user)
    profile = client.get(reverse("peers:profile", args=[recipient.id])).content.decode()
    assert reverse("peers:contact", args=[recipient.id]) not in profile
    assert "does not take messages" in profile
    assert _send(client, recipient.id).status_code == 400
    assert not ContactMessage.objects.exists()


def test_profile_offers_writing_to_others_only(world: SimpleNamespace) -> None:
    peer = world.member_platform
    url = reverse("peers:contact", args=[peer.id])
    assert (
        url
        in signed_in(world.outsider.user)
        .get(reverse("peers:profile", args=[peer.id]))
        .content.decode()
    )
    assert (
        url
        not in signed_in(peer.user).get(reverse("peers:profile", args=[peer.id])).content.decode()
    )
    assert signed_in(peer.user).get(url).status_code == 403


def test_length_is_bounded(world: SimpleNamespace) -> None:
    response = _send(signed_in(world.outsider.user), world.member_platform.id, body="x" * 3001)
    assert response.status_code == 400
    assert not ContactMessage.objects.exists()


def test_per_peer_limit(world: SimpleNamespace) -> None:
    for _ in range(CONTACT_PER_PEER_PER_DAY):
        contact_message_send(
            sender=world.outsider.user, recipient=world.member_platform, subject="s", body="b"
        )
    with pytest.raises(ValidationError) as e:
        contact_message_send(
            sender=world.outsider.user, recipient=world.member_platform, subject="s", body="b"
        )
    assert "body" in e.value.message_dict
    # Another peer can still be written to.
    contact_message_send(
        sender=world.outsider.user, recipient=world.outsider_public, subject="s", body="b"
    )


def test_form_rate_limit(world: SimpleNamespace, settings: Any) -> None:
    settings.PEERLEARN_CONTACT_RATE = "2/hour"
    client = signed_in(world.outsider.user)
    assert _send(client, world.member_platform.id).status_code == 302
    assert _send(client, world.outsider_public.id).status_code == 302
    response = _send(client, world.outsider_public.id)
    assert response.status_code == 429
    assert ContactMessage.objects.count() == 2


def test_only_sender_and_recipient_read_a_message(world: SimpleNamespace) -> None:
    message = contact_message_send(
        sender=world.outsider.user, recipient=world.member_platform, subject="s", body=SECRET
    )
    assert contact_messages_visible_to(world.outsider.user).filter(id=message.id).exists()
    assert contact_messages_visible_to(world.member_platform.user).filter(id=message.id).exists()
    for other in (world.facilitator, world.admin, world.member_alliance.user, world.funder):
        assert not contact_messages_visible_to(other).exists()
        assert (
            SECRET
            not in signed_in(other)
            .get(reverse("peers:profile", args=[world.member_platform.id]))
            .content.decode()
        )


def test_erasing_an_account_removes_its_messages(world: SimpleNamespace) -> None:
    from peerlearn.conftest import TEST_PASSWORD
    from peerlearn.privacy.services import account_erase

    contact_message_send(
        sender=world.outsider.user, recipient=world.member_platform, subject="s", body=SECRET
    )
    contact_message_send(
        sender=world.member_platform.user, recipient=world.outsider_public, subject="s", body="b"
    )
    account_erase(user=world.member_platform.user, password=TEST_PASSWORD)
    assert not ContactMessage.objects.exists()
