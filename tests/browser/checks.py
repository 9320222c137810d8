"""What every page a browser test visits must pass: nothing scrolls sideways, no table's
caption is squeezed into a narrow column, and axe-core
(the `axe-playwright-python` package's copy) finds no serious or critical accessibility
violation.

``PageChecks`` follows the page's navigations; a test calls ``check()`` once it is on a page
(and again after an htmx swap worth checking), and ``assert_every_page_checked()`` at the end
fails on any page it went through without a check."""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import urlsplit

#: The two widths every journey runs at: a laptop, and a phone.
VIEWPORTS = {
    "1280px": {"width": 1280, "height": 900},
    "390px": {"width": 390, "height": 844},
}
#: axe-core's impacts that fail a test ("minor" and "moderate" are reported by axe, not here).
FAILING_IMPACTS = frozenset({"serious", "critical"})


@cache
def _axe() -> Any:
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def overflow(page: Any) -> int:
    """By how many CSS pixels the page is wider than its viewport (0 when it fits)."""
    return int(
        page.evaluate(
            "Math.max(0, document.documentElement.scrollWidth"
            " - document.documentElement.clientWidth)"
        )
    )


def overflow_with_a_long_word(page: Any) -> int:
    """:func:`overflow` once the first cell of every table holds a word of 120 letters, as a
    pasted address or an unspaced name would (0 when the page has no table). The page is
    changed: check it last."""
    if not page.locator("table td").count():
        return 0
    page.evaluate(
        """for (const t of document.querySelectorAll('table')) {
            const td = t.querySelector('td');
            if (td) td.append(' ' + 'X'.repeat(120));
        }"""
    )
    return overflow(page)


def squeezed_captions(page: Any) -> list[str]:
    """Visible table captions laid out much narrower than their table (a caption left as a
    table caption inside a table shown as cards wraps a word per line), by their text."""
    return list(
        page.evaluate(
            """Array.from(document.querySelectorAll('table > caption')).filter(c => {
                const own = c.getBoundingClientRect().width;
                const table = c.parentElement.getBoundingClientRect().width;
                return own > 2 && own < 0.6 * table;
            }).map(c => c.textContent.trim().slice(0, 60))"""
        )
    )


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, one line each:
    the rule, its help text, and the first elements concerned."""
    results = _axe().run(page)
    found = []
    for v in results.response["violations"]:
        if v.get("impact") in FAILING_IMPACTS:
            targets = [" ".join(map(str, n["target"])) for n in v["nodes"][:3]]
            found.append(f"{v['impact']} {v['id']}: {v['help']} — {', '.join(targets)}")
    return found


def page_key(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class PageChecks:
    """Checks the pages one browser page goes through."""

    def __init__(self, page: Any) -> None:
        self.page = page
        #: Who is signed in (a page may differ from one person to another).
        self.who = ""
        self.visited: list[str] = []
        self.checked: set[str] = set()
        page.on("framenavigated", self._navigated)

    def _key(self, url: str) -> str:
        return f"{self.who or 'anonymous'} {page_key(url)}"

    def _navigated(self, frame: Any) -> None:
        if frame == self.page.main_frame and frame.url.startswith("http"):
            key = self._key(frame.url)
            if key not in self.visited:
                self.visited.append(key)

    def check(self, *, again: bool = False) -> None:
        """Checks the current page (once per address unless ``again``) and fails at once."""
        key = self._key(self.page.url)
        if key in self.checked and not again:
            return
        self.checked.add(key)
        width = self.page.viewport_size["width"] if self.page.viewport_size else 0
        extra = overflow(self.page)
        problems = [f"{extra} px wider than the {width} px screen"] if extra else []
        problems += [f"caption squeezed: {text!r}" for text in squeezed_captions(self.page)]
        problems += serious_violations(self.page)
        assert not problems, f"{key}:\n  " + "\n  ".join(problems)

    def assert_every_page_checked(self) -> None:
        unchecked = [key for key in self.visited if key not in self.checked]
        assert not unchecked, f"pages visited but not checked: {unchecked}"
