"""Cases and resources in the header search: only what the searcher may see, by words and
by meaning."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from peerlearn.matching import minilm
from peerlearn.search.selectors import search, search_words
from peerlearn.search.sources import source_kinds


def test_the_library_is_a_source_of_the_search(db: None) -> None:
    kinds = dict(source_kinds())
    assert kinds["case"] == "Case studies" and kinds["resource"] == "Resources"


def test_words_find_only_visible_items(items: SimpleNamespace) -> None:
    found = search_words(user=None, query="case", kinds={"case"})
    titles = {h.title for h in found["case"]}
    assert "Public case on parking fees" in titles
    assert "Private case on tax amnesty" not in titles
    mine = search_words(user=items.facilitator, query="amnesty")
    assert [h.title for h in mine["case"]] == ["Private case on tax amnesty"]
    assert search_words(user=items.outsider.user, query="workshop notes") == {}
    member = search_words(user=items.member_platform.user, query="workshop notes")
    assert [h.url for h in member["resource"]] == [
        reverse("library:resource", args=[items.inner_resource.id])
    ]


def test_the_search_page_links_to_the_case(items: SimpleNamespace) -> None:
    page = Client().get(reverse("search:search"), {"q": "parking fees"}).content.decode()
    assert reverse("library:case", args=[items.public_case.id]) in page
    assert (
        "tax amnesty"
        not in Client().get(reverse("search:search"), {"q": "amnesty"}).content.decode()
    )


@pytest.mark.skipif(not minilm.available(), reason="the sentence model is not installed")
def test_meaning_finds_a_case_only_for_who_may_see_it(items: SimpleNamespace) -> None:
    items.private_case.summary = "Members of parliament used research evidence to draft bills."
    items.private_case.save()
    query = "how can lawmakers use research when they write laws"
    hidden = search(user=None, query=query, kinds={"case"})
    assert hidden.words == {}  # not every word is in any text: only meaning can find it
    assert hidden.encoder == minilm.MODEL_NAME
    assert "Private case on tax amnesty" not in {h.title for h in hidden.meaning}
    mine = search(user=items.facilitator, query=query, kinds={"case"})
    assert [h.title for h in mine.meaning][:1] == ["Private case on tax amnesty"]


def test_a_case_snippet_reads_without_markdown_or_a_doubled_full_stop(
    items: SimpleNamespace,
) -> None:
    """Snippets showed "## Contexte … - un numéro" and "**passer** au paiement mobile.."."""
    items.public_case.summary = "Les marchés passent au paiement mobile."
    items.public_case.body = (
        "## Contexte\n\nLe comté encaissait en espèces.\n\n"
        "- un numéro par étal\n- **passer** au paiement mobile."
    )
    items.public_case.save()
    for query in ("paiement mobile", "numéro étal"):
        snippet = search_words(user=None, query=query, kinds={"case"})["case"][0].snippet
        assert "mobile. Contexte Le comté" in snippet, snippet
        assert "passer au paiement mobile" in snippet, snippet
        for mark in ("##", "**", "- un", ".."):
            assert mark not in snippet, (mark, snippet)
