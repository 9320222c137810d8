"""One search box for the whole platform (in the header of every page)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from peerlearn.core.http import HtmxHttpRequest
from peerlearn.search.forms import SearchForm
from peerlearn.search.selectors import SearchResult, search
from peerlearn.search.sources import all_sources


def search_page(request: HtmxHttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    result = SearchResult(query="")
    if form.is_valid() and form.cleaned_data["q"].strip():
        kind = form.cleaned_data["kind"]
        result = search(
            user=request.user, query=form.cleaned_data["q"], kinds={kind} if kind else None
        )
    labels = {s.kind: s.label for s in all_sources()}
    sections = [(labels[k], hits) for k, hits in result.words.items()]
    template = "search/results.html" + ("#results" if request.htmx else "")
    return render(
        request,
        template,
        {"form": form, "result": result, "sections": sections, "labels": labels},
    )
