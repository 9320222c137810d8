"""Django's ``i18n`` tag library, with ``{% translate "…" %}`` of a constant text answered from
memory: the same tags, the same text.

A page translates a few hundred constant labels (a table's headers, repeated on every row as
``data-label``, the frame's links), and Django's tag makes a lazy translation, asks the
active language and two catalogues, and escapes the answer for each of them, some 10 µs a
tag. The catalogues do not change while a process runs, so the translation of a constant
text is worked out once per process for each language, text, context and ``noop``, and read
from memory after. A text with filters, a variable or a context read from a variable is
translated every time. A text is remembered apart for escaped and unescaped output
(plain-text e-mails turn escaping off). Installed under the name ``i18n`` (settings ``TEMPLATES``
``libraries``; the engine of ``core/templates.py`` accepts the replacement in its checks),
so ``{% load i18n %}`` loads it in every template; the other tags and filters are Django's
own.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import Context
from django.template.base import Parser, Token, Variable
from django.templatetags import i18n as django_i18n
from django.templatetags.i18n import TranslateNode
from django.utils.translation import get_language

register = template.Library()
register.tags.update(django_i18n.register.tags)
register.filters.update(django_i18n.register.filters)

#: Remembered translations; emptied when it reaches MAX_TEXTS (it never should: templates
#: hold a bounded number of constant texts).
_texts: dict[tuple[Any, ...], str] = {}
MAX_TEXTS = 20_000


@receiver(setting_changed)
def _forget(*, setting: str, **_: Any) -> None:
    """Languages or catalogues changed (tests): translate afresh."""
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS"}:
        _texts.clear()


class RememberedTranslateNode(TranslateNode):
    def render(self, context: Context) -> str:
        key = self._key()
        if key is None:
            return super().render(context)
        # Escaping depends on the context ({% autoescape off %} in plain-text e-mails).
        key = (*key, get_language(), context.autoescape)
        value = _texts.get(key)
        if value is None:
            value = super().render(context)
            if self.asvar:
                value = context[self.asvar]
            if len(_texts) >= MAX_TEXTS:
                _texts.clear()
            _texts[key] = value
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value

    def _key(self) -> tuple[Any, ...] | None:
        """What the translation depends on besides the language, or None when it is not a
        constant text (filters, a variable, a context read from a variable)."""
        expression = self.filter_expression
        var = expression.var
        if expression.filters or not isinstance(var, Variable) or not isinstance(var.literal, str):
            return None
        message_context = None
        if self.message_context is not None:
            message_context = self.message_context.var
            if self.message_context.filters or not isinstance(message_context, str):
                return None
        return (var.literal, message_context, self.noop)


def do_translate(parser: Parser, token: Token) -> RememberedTranslateNode:
    node = django_i18n.do_translate(parser, token)
    return RememberedTranslateNode(
        node.filter_expression, node.noop, node.asvar, node.message_context
    )


register.tag("translate", do_translate)
register.tag("trans", do_translate)
