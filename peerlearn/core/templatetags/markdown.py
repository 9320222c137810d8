"""``{{ text|markdown }}`` (sanitised HTML, headings from level three) and
``{{ text|plain_text }}`` (the words without the marks, for an excerpt)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from peerlearn.core.markdown import plain, to_html

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    return to_html(text)


@register.filter(name="plain_text")
def plain_text_filter(text: str) -> str:
    return plain(text)
