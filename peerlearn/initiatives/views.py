"""The initiatives registry: the map of the peer-to-peer space."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from peerlearn.access.initiatives import access_initiative_by_slug
from peerlearn.core.forms import partnership_type_filter_field, theme_filter_field
from peerlearn.core.http import HtmxHttpRequest
from peerlearn.core.models import Country
from peerlearn.core.paging import paginate
from peerlearn.initiatives.selectors import InitiativeFilters, initiative_detail, initiative_list


class InitiativeFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    type = partnership_type_filter_field()
    theme = theme_filter_field()
    country = forms.ModelChoiceField(
        label=_("Country"),
        queryset=Country.objects.filter(initiatives__isnull=False).distinct(),
        required=False,
        empty_label=_("Any country"),
        to_field_name="code",
    )


def initiative_index(request: HtmxHttpRequest) -> HttpResponse:
    form = InitiativeFilterForm(request.GET or None)
    filters = InitiativeFilters()
    if form.is_valid():
        d: dict[str, Any] = form.cleaned_data
        filters = InitiativeFilters(
            q=d["q"] or "",
            type=d["type"] or "",
            theme=d["theme"].slug if d["theme"] else "",
            country=d["country"].code if d["country"] else "",
        )
    page, query = paginate(request, initiative_list(user=request.user, filters=filters))
    template = "initiatives/list.html" + ("#results" if request.htmx else "")
    return render(request, template, {"form": form, "page": page, "query": query})


def initiative_page(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = access_initiative_by_slug(request.user, slug)
    return render(
        request,
        "initiatives/detail.html",
        {"initiative": initiative_detail(user=request.user, initiative=initiative)},
    )
