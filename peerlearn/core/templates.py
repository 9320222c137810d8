"""The template engine: Django's, accepting in its checks a tag library replaced on purpose.

Settings ``TEMPLATES`` ``OPTIONS`` ``libraries`` installs ``core/templatetags/cached_i18n.py``
under the name ``i18n``, in place of Django's own, so that ``{% load i18n %}`` loads it.
Django's system check warns of any name given to two tag modules (``templates.W003``), which
is what such a replacement is. This engine's check leaves out a library of Django's own
(``django.templatetags.<name>``) whose name the settings give to another module; any other
clash is reported as Django reports it.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.checks import CheckMessage, Warning
from django.template.backends import django as django_backend


class DjangoTemplates(django_backend.DjangoTemplates):
    def _check_for_template_tags_with_the_same_name(self) -> list[CheckMessage]:
        configured = self.engine.libraries
        libraries: defaultdict[str, set[str]] = defaultdict(set)
        for name, module in django_backend.get_template_tag_modules():
            if name in configured and module == f"django.templatetags.{name}":
                continue  # replaced by the settings
            libraries[name].add(module)
        for name, module in configured.items():
            libraries[name].add(module)
        return [
            Warning(
                f"{name!r} is used for multiple template tag modules: "
                + ", ".join(repr(module) for module in sorted(modules)),
                obj=self,
                id="templates.W003",
            )
            for name, modules in libraries.items()
            if len(modules) > 1
        ]
