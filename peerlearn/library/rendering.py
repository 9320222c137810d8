"""A case's body: Markdown rendered to sanitised HTML by :mod:`peerlearn.core.markdown`,
so nothing an author writes can run script or style the page."""

from __future__ import annotations

from django.utils.safestring import SafeString

from peerlearn.core.markdown import to_html


def render_markdown(text: str) -> SafeString:
    """``text`` (Markdown) as safe HTML: raw HTML in it is escaped, links keep only http(s)
    and mail addresses and open with ``rel="nofollow noopener noreferrer"``. An author's
    level-one heading becomes a level two, under the page's own title."""
    return to_html(text, top_heading=2)
