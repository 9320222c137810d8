"""Posts are written in Markdown, rendered and sanitised by :mod:`peerlearn.core.markdown`.
``@username`` mentions are found here; the services decide whom they notify. A mention of
an erased account becomes ``@former-member`` (``FORMER_MEMBER_HANDLE``), which is never
read as a mention: it neither notifies nor links, whoever holds that user name."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from peerlearn.accounts.models import FORMER_MEMBER_HANDLE
from peerlearn.core.markdown import to_html

#: ``@username``: a handle not glued to a word or an address before it (``a@b.org``).
MENTION = re.compile(r"(?<![\w@/.])@([A-Za-z0-9_.+-]{1,150})")


def _handle(match: re.Match[str]) -> tuple[str, str]:
    """A mention's handle and the full stops after it (a trailing full stop is not part of
    a handle)."""
    found = match.group(1)
    handle = found.rstrip(".")
    return handle, found[len(handle) :]


def _is_live(handle: str) -> bool:
    """Whether a handle names someone: ``@former-member`` never does."""
    return handle.lower() != FORMER_MEMBER_HANDLE


def mentioned_usernames(text: str) -> list[str]:
    """The handles a text mentions, once each, in order."""
    seen: dict[str, None] = {}
    for match in MENTION.finditer(text or ""):
        handle, _ = _handle(match)
        if _is_live(handle):
            seen.setdefault(handle, None)
    return list(seen)


def mentions_replaced(text: str, username: str) -> str:
    """``text`` with each mention of ``username`` (in any case) turned into
    ``@former-member``; handles found as :func:`mentioned_usernames` finds them, so
    ``@ann`` never touches ``@anna``, ``@ann.smith`` or ``ann@example.org``."""
    wanted = username.lower()

    def swap(match: re.Match[str]) -> str:
        handle, rest = _handle(match)
        if handle.lower() != wanted:
            return match.group(0)
        return f"@{FORMER_MEMBER_HANDLE}{rest}"

    return MENTION.sub(swap, text or "")


def _escape_markdown(text: str) -> str:
    return re.sub(r"([\\`*_\[\]()#+!|~<>-])", r"\\\1", text)


def render(text: str, *, mention_url: Callable[[str], str | None] | None = None) -> str:
    """Safe HTML for a Markdown text; each ``@handle`` for which ``mention_url`` gives an
    address becomes a link to it (other handles stay plain text)."""
    source = text or ""
    if mention_url is not None:

        def link(match: re.Match[str]) -> str:
            handle, rest = _handle(match)
            url = mention_url(handle) if _is_live(handle) else None
            if not url:
                return match.group(0)
            return f"[@{_escape_markdown(handle)}]({url} 'mention'){rest}"

        source = MENTION.sub(link, source)
    return str(to_html(source)).replace(' title="mention"', ' class="mention"')


def lowered(names: Iterable[str]) -> set[str]:
    return {n.lower() for n in names}
