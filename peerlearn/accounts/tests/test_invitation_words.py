"""The invitation e-mail names the role as a word inside its sentence, in the invitee's
language: "invited to peerlearn as facilitator", not "as Facilitator"."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.core import mail

from peerlearn.access.roles import Role
from peerlearn.accounts.services import user_invite

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "subject", "in_body"),
    [
        (
            "en",
            "You are invited to peerlearn as facilitator",
            "public-sector reform, as facilitator.",
        ),
        ("fr", "comme facilitateur", "en tant que facilitateur."),
    ],
)
def test_the_role_reads_in_lower_case_inside_the_sentence(
    world: SimpleNamespace,
    language: str,
    subject: str,
    in_body: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        user_invite(
            invited_by=world.admin,
            name="Fatou Diallo",
            email="fatou@example.org",
            role=Role.FACILITATOR,
            organisation=None,
            language=language,
            site_url="http://testserver",
        )
    [message] = mail.outbox
    assert subject in message.subject
    assert "Facilitator" not in message.subject + message.body
    assert in_body in message.body
