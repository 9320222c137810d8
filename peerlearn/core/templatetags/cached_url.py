"""``{% url %}`` with its answers remembered by the process: the same tag, the same URLs.

Every page frame names a dozen links and lists name one per row; Django's ``reverse`` costs
about a tenth of a millisecond each, some 10 % of a page's CPU. The URL configuration does
not change while a process runs, so a URL is worked out once per process for each view name,
arguments, application namespace, script prefix, URL configuration and language, and read
from memory after. Only plain arguments (text, integers) are remembered; others (a model
instance, say) are reversed every time, as is a name that does not reverse. Installed as a
template builtin (settings ``TEMPLATES`` ``builtins``), it replaces Django's ``url`` tag in
every template without a ``{% load %}``.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.template import Context
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language

register = template.Library()

#: Remembered URLs; emptied when it reaches MAX_URLS (lists of many objects fill it).
_urls: dict[tuple[Any, ...], str] = {}
MAX_URLS = 20_000
_PLAIN = (str, int)


def reverse_remembered(
    view_name: str, args: list[Any], kwargs: dict[str, Any], current_app: str | None
) -> str:
    """``reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)``, worked out
    once per process for plain arguments."""
    if not isinstance(view_name, str) or not all(
        type(a) in _PLAIN for a in (*args, *kwargs.values())
    ):
        return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
    key = (
        view_name,
        tuple(args),
        tuple(sorted(kwargs.items())),
        current_app,
        get_script_prefix(),
        get_urlconf() or settings.ROOT_URLCONF,
        get_language(),
    )
    found = _urls.get(key)
    if found is None:
        found = reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
        if len(_urls) >= MAX_URLS:
            _urls.clear()
        _urls[key] = found
    return found


class RememberedURLNode(URLNode):
    def render(self, context: Context) -> str:
        from django.urls import NoReverseMatch

        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app  # type: ignore[attr-defined]
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace  # type: ignore[attr-defined]
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = reverse_remembered(view_name, args, kwargs, current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return str(conditional_escape(url)) if context.autoescape else url


@register.tag
def url(parser: template.base.Parser, token: template.base.Token) -> RememberedURLNode:
    node = django_url(parser, token)
    return RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
