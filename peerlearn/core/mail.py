"""E-mail to platform users: each in their own language, sent once the transaction commits
(so that nobody hears of something that was rolled back)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.db import transaction
from django.template.loader import get_template
from django.utils import translation

if TYPE_CHECKING:
    from peerlearn.accounts.models import User

logger = logging.getLogger(__name__)


def render_text(template: str, context: dict[str, Any]) -> str:
    """A plain-text e-mail template rendered as text: nothing is HTML-escaped, so that a
    title such as "Tax & <Revenue>" reads as typed in the subject and the body."""
    from django.template import Context

    return get_template(template).template.render(Context(context, autoescape=False))  # type: ignore[no-any-return,attr-defined]


def notify(
    users: Iterable[User],
    template: str,
    context: dict[str, Any],
    attachments: Sequence[tuple[str, bytes, str]] = (),
    reply_to: Sequence[str] = (),
) -> None:
    """E-mail ``users`` the message ``template`` (``<app>/email/<name>``: a ``.txt`` body and a
    ``_subject.txt`` subject), rendered with ``context`` plus the recipient's ``name``, with
    ``attachments`` as (file name, content, MIME type); ``reply_to`` addresses answers
    somewhere else than the platform's own sender address."""
    recipients = [
        (u.email, u.preferred_language or settings.LANGUAGE_CODE, u.name) for u in users if u.email
    ]
    notify_addresses(recipients, template, context, attachments, reply_to)


def notify_addresses(
    recipients: Iterable[tuple[str, str, str]],
    template: str,
    context: dict[str, Any],
    attachments: Sequence[tuple[str, bytes, str]] = (),
    reply_to: Sequence[str] = (),
) -> None:
    """Like :func:`notify`, for (e-mail, language, name) triples: people who may not have an
    account yet (an invitation to sign up and join)."""
    recipients = [(e, lang or settings.LANGUAGE_CODE, n) for e, lang, n in recipients if e]

    def send() -> None:
        for email, language, name in recipients:
            with translation.override(language):
                subject = render_text(f"{template}_subject.txt", context)
                body = render_text(f"{template}.txt", {**context, "name": name})
            try:
                if not attachments and not reply_to:
                    send_mail(" ".join(subject.split()), body, None, [email])
                    continue
                message = EmailMessage(
                    " ".join(subject.split()), body, None, [email], reply_to=list(reply_to)
                )
                for filename, content, mimetype in attachments:
                    message.attach(filename, content, mimetype)
                message.send()
            except Exception:
                # The change is committed; a mail server failure must not turn it into an
                # error page, but someone should hear of it.
                logger.exception("could not e-mail %s (%s)", email, template)

    transaction.on_commit(send)
