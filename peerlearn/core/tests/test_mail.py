"""Plain-text e-mails read as typed: nothing in them is HTML-escaped."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from peerlearn.core.mail import notify_addresses


@pytest.mark.django_db
def test_a_title_with_html_characters_reads_as_typed(
    django_capture_on_commit_callbacks: Any,
) -> None:
    title = 'Tax & <Revenue> "reform"'

    class Item:
        pass

    item = Item()
    item.title = title  # type: ignore[attr-defined]
    with django_capture_on_commit_callbacks(execute=True):
        notify_addresses(
            [("reader@example.org", "en", "Reader")],
            "library/email/published",
            {"item": item, "url": "http://testserver/library/1/"},
        )
    [message] = mail.outbox
    assert title in message.subject
    assert "&amp;" not in message.subject and "&lt;" not in message.subject
    assert "&amp;" not in message.body and "&lt;" not in message.body
