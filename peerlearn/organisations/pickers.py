"""The organisation picker: organisations found by name or acronym as one types."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from peerlearn.core.pickers import PickerKind, folded, suggestions


def _search(queryset: QuerySet[Any], text: str) -> QuerySet[Any]:
    q = Q()
    for word in text.split()[:6]:
        q &= Q(name__icontains=word) | Q(acronym__iexact=word)
    return queryset.filter(q).select_related("country")


def _exact(organisation: Any, text: str) -> bool:
    wanted = folded(text)
    return wanted in (folded(organisation.name), folded(organisation.acronym or "\0"))


def _describe(organisation: Any) -> str:
    country = organisation.country.display_name if organisation.country else _("international")
    return f"{organisation} — {country}"


ORGANISATIONS = PickerKind(
    suggest_url="organisations:suggestions",
    search=_search,
    exact=_exact,
    prompt=_("Find an organisation"),
    describe=_describe,
)


def organisation_suggestions(request: HttpRequest) -> HttpResponse:
    """Organisations matching the text typed in an organisation picker (organisations are
    not confidential)."""
    from peerlearn.organisations.models import Organisation

    queryset = Organisation.objects.select_related("country")
    return suggestions(request, kind=ORGANISATIONS, queryset=queryset)
