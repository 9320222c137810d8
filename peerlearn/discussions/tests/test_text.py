"""Markdown is rendered and sanitised: no script, event handler or unsafe link survives."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from peerlearn.discussions.text import mentioned_usernames, mentions_replaced, render


class Elements(HTMLParser):
    """The tags and attributes a browser would build from the HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((name, value or "") for name, value in attrs)


def elements(html: str) -> Elements:
    parser = Elements()
    parser.feed(html)
    return parser


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert('x')</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="#" onclick="steal()">click</a>',
        "[click](javascript:alert(1))",
        '<div style="position:fixed" onmouseover="x()">hover</div>',
        "![image](javascript:alert(1))",
    ],
)
def test_scripts_event_handlers_and_unsafe_links_never_survive(source: str) -> None:
    found = elements(render(source))
    assert not {"script", "img", "div", "iframe"} & set(found.tags)
    assert not [name for name, _value in found.attributes if name.startswith("on")]
    assert not [name for name, _value in found.attributes if name == "style"]
    assert not [v for name, v in found.attributes if v.strip().lower().startswith("javascript")]


def test_markdown_becomes_html() -> None:
    html = render("**bold** and *italic*\n\n- one\n- two\n\n[site](https://example.org)")
    assert "<strong>bold</strong>" in html
    assert "<em>italic</em>" in html
    assert "<li>one</li>" in html
    assert 'href="https://example.org"' in html
    assert 'rel="nofollow noopener noreferrer"' in html


def test_mentions_are_found_once_and_not_inside_addresses() -> None:
    assert mentioned_usernames("@ann, ask @bob.smith. Mail ann@example.org or @ann") == [
        "ann",
        "bob.smith",
    ]


def test_a_mention_with_an_address_becomes_a_link_and_others_stay_text() -> None:
    html = render("Thanks @ann and @zed", mention_url=lambda h: "/peers/7/" if h == "ann" else None)
    assert '<a href="/peers/7/" class="mention"' in html
    assert ">@ann</a>" in html
    assert html.count('class="mention"') == 1
    assert "@zed" in html


def test_only_mentions_of_the_erased_name_become_a_former_member() -> None:
    text = "@ann, @Anna, @ANN. (@ann) @ann.smith ann@example.org x@ann @ann_b @ann…"
    assert mentions_replaced(text, "ann") == (
        "@former-member, @Anna, @former-member. (@former-member) @ann.smith ann@example.org "
        "x@ann @ann_b @former-member…"
    )
    assert mentions_replaced("No one here.", "ann") == "No one here."


def test_the_former_member_handle_is_never_a_mention() -> None:
    assert mentioned_usernames("@former-member and @Former-Member. @ann") == ["ann"]
    html = render("Thanks @former-member", mention_url=lambda h: "/peers/7/")
    assert "mention" not in html
    assert "@former-member" in html
