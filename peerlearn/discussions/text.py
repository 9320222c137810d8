"""Posts are written in Markdown: rendered with markdown-it-py (CommonMark, raw HTML off)
and then cleaned with nh3 (an allow-list of tags and attributes, ``http``, ``https`` and
``mailto`` links only), so no script, event handler or style ever reaches a page.
``@username`` mentions are found here; the services decide whom they notify. A mention of
an erased account becomes ``@former-member`` (``FORMER_MEMBER_HANDLE``), which is never
read as a mention: it neither notifies nor links, whoever holds that user name."""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable, Iterable

import nh3
from markdown_it import MarkdownIt

from peerlearn.accounts.models import FORMER_MEMBER_HANDLE

#: ``@username``: a handle not glued to a word or an address before it (``a@b.org``).
MENTION = re.compile(r"(?<![\w@/.])@([A-Za-z0-9_.+-]{1,150})")

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "del", "em", "h3", "h4", "hr", "li", "ol", "p", "pre",
    "s", "strong", "ul", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "class"}}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
    ["strikethrough", "table"]
)


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
    html = _markdown.render(source)
    html = html.replace(' title="mention"', ' class="mention"')
    return clean(html)


def plain(text: str) -> str:
    """The text as a reader reads it, without its Markdown marks (for a search result).

    >>> plain("We agreed **two** things: `fees` and [maps](https://example.org).")
    'We agreed two things: fees and maps.'
    """
    return html_lib.unescape(nh3.clean(_markdown.render(text or ""), tags=set())).strip()


def clean(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )


def lowered(names: Iterable[str]) -> set[str]:
    return {n.lower() for n in names}
