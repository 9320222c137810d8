"""Markdown people write: one renderer and one sanitiser for posts, cases and insights."""

from __future__ import annotations

import doctest

from peerlearn.core import markdown


def test_doctests() -> None:
    assert doctest.testmod(markdown).failed == 0


def test_headings_start_under_the_pages_own() -> None:
    html = str(markdown.to_html("# One\n\n## Two\n\n#### Four"))
    assert html == "<h3>One</h3>\n<h3>Two</h3>\n<h4>Four</h4>\n"


def test_nothing_an_author_writes_runs_or_styles_the_page() -> None:
    html = str(
        markdown.to_html(
            "[x](javascript:alert(1)) <img src=x onerror=alert(1)> "
            '<span style="color:red">red</span>\n\n| a |\n| :-- |\n| 1 |'
        )
    )
    assert "href" not in html  # the javascript: link is dropped, its text kept
    assert "<img" not in html and "<span" not in html  # raw HTML is shown as text
    assert "&lt;span" in html
    assert "<td>1</td>" in html


def test_plain_keeps_the_words_of_a_table_and_a_list() -> None:
    assert markdown.plain("- one\n- *two*\n\n| a |\n|---|\n| b |").split() == [
        "one", "two", "a", "b",
    ]  # fmt: skip
