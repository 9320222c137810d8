"""Texts people write in Markdown (discussion posts and summaries, case bodies, insights):
rendered with markdown-it-py (CommonMark with tables and strikethrough, raw HTML off) and
then cleaned with nh3 (an allow-list of tags and attributes, ``http``, ``https`` and
``mailto`` links only), so no script, event handler or style ever reaches a page.

>>> str(to_html("We agreed **two** things.<script>alert(1)</script>"))
'<p>We agreed <strong>two</strong> things.&lt;script&gt;alert(1)&lt;/script&gt;</p>\\n'
>>> str(to_html("# Title\\n## Part", top_heading=2))
'<h2>Title</h2>\\n<h2>Part</h2>\\n'
"""

from __future__ import annotations

import html as html_lib
from collections.abc import Collection

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

#: Tags any rendered text may use: text structure, lists, links, tables, code. Headings are
#: added per use, from the page's own level down (``top_heading``).
TEXT_TAGS = frozenset(
    {
        "a", "blockquote", "br", "code", "del", "em", "hr", "li", "ol", "p", "pre", "s",
        "strong", "ul", "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
#: ``class`` on a link is the mention's (raw HTML is off, so no author sets one).
ATTRIBUTES = {"a": {"href", "title", "class"}}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
    ["strikethrough", "table"]
)


def _headings_from(level: int, html: str) -> str:
    """Headings above ``level`` (the page holds those) brought down to it; the others keep
    theirs."""
    for old in range(1, level):
        html = html.replace(f"<h{old}>", f"<h{level}>").replace(f"</h{old}>", f"</h{level}>")
    return html


def clean(html: str, *, tags: Collection[str] = TEXT_TAGS) -> str:
    return nh3.clean(
        html,
        tags=set(tags),
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )


def to_html(text: str, *, top_heading: int = 3) -> SafeString:
    """Safe HTML for a Markdown text whose headings start at ``top_heading``: a heading
    above it in the text becomes that level, under the page's own title."""
    html = _headings_from(top_heading, _markdown.render(text or ""))
    headings = {f"h{level}" for level in range(top_heading, 7)}
    return mark_safe(clean(html, tags=TEXT_TAGS | headings))


def plain(text: str) -> str:
    """The text as a reader reads it, without its Markdown marks (for a search result or a
    list's excerpt).

    >>> plain("We agreed **two** things: `fees` and [maps](https://example.org).")
    'We agreed two things: fees and maps.'
    """
    return html_lib.unescape(nh3.clean(_markdown.render(text or ""), tags=set())).strip()
