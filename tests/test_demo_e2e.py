"""End to end: a fresh SQLite file, `peerlearn migrate`, `peerlearn demo`, `peerlearn serve`,
then the main pages over HTTP — anonymous and signed in as each demo role."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest

DEMO_PASSWORD = "peerlearn-demo"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("demo")
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "PEERLEARN_ENV": "development",
        "PEERLEARN_DATA_DIR": str(data_dir),
        "DATABASE_URL": f"sqlite:///{data_dir / 'demo.sqlite3'}",
        "PEERLEARN_ENV_FILE": str(data_dir / "none.env"),
        "DJANGO_SETTINGS_MODULE": "peerlearn.settings",
    }
    peerlearn = [sys.executable, "-m", "peerlearn"]
    for args in (["migrate", "--no-input"], ["demo"]):
        done = subprocess.run(
            [*peerlearn, *args], env=env, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, done.stdout + done.stderr
    assert "peerlearn-demo" in done.stdout  # the demo prints its sign-ins
    port = _free_port()
    server = subprocess.Popen(
        [*peerlearn, "serve", "--port", str(port), "--no-migrate"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    raise AssertionError(
                        server.stdout.read() if server.stdout else "server died"
                    ) from None
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


class Browser:
    """A cookie-keeping HTTP client that signs in through the real login form."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=30) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def sign_in(self, username: str) -> str:
        _, html = self.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert token is not None
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token.group(1), "username": username, "password": DEMO_PASSWORD}
        ).encode()
        request = urllib.request.Request(
            self.base + "/accounts/login/",
            data=data,
            headers={"Referer": self.base + "/accounts/login/"},
        )
        with self.opener.open(request, timeout=30) as r:
            return r.read().decode()


def test_public_pages(demo_server: str) -> None:
    browser = Browser(demo_server)
    status, html = browser.get("/")
    assert status == 200 and "Better Government Kyrgyzstan" in html
    status, html = browser.get("/initiatives/")
    assert status == 200
    assert len(re.findall(r'href="/initiatives/[\w-]+/"', html)) == 8
    status, html = browser.get("/api/v1/openapi.json")
    assert status == 200 and '"openapi"' in html
    status, html = browser.get("/static/peerlearn/app.css")
    assert status == 200 and ":root" in html


@pytest.mark.parametrize("username", ["peer", "facilitator", "authoriser", "funder", "admin"])
def test_each_demo_role_signs_in_and_sees_the_main_pages(demo_server: str, username: str) -> None:
    browser = Browser(demo_server)
    home = browser.sign_in(username)
    assert "Sign out" in home
    status, html = browser.get("/peers/")
    assert status == 200
    count = re.search(r"(\d+) peers", html)
    assert count is not None and int(count.group(1)) >= 250
    status, html = browser.get("/alliances/")
    assert status == 200 and "Fiscal Decentralisation" in html
    slug = re.search(r'href="/alliances/([\w-]+)/"', html)
    assert slug is not None
    status, _ = browser.get(f"/alliances/{slug.group(1)}/")
    assert status == 200
    profile = re.search(r'href="(/peers/\d+/)"', browser.get("/peers/")[1])
    assert profile is not None
    assert browser.get(profile.group(1))[0] == 200


def test_the_demo_peer_sees_the_alliance_and_its_challenges(demo_server: str) -> None:
    browser = Browser(demo_server)
    home = browser.sign_in("peer")
    assert "Fiscal Decentralisation" in home
    _, alliances = browser.get("/alliances/?mine=on")
    slug = re.search(r'href="/alliances/([\w-]+)/"', alliances)
    assert slug is not None
    _, page = browser.get(f"/alliances/{slug.group(1)}/")
    assert page.count('class="statement"') >= 8


def test_the_admin_reaches_the_back_office(demo_server: str) -> None:
    browser = Browser(demo_server)
    browser.sign_in("admin")
    status, html = browser.get("/admin/")
    assert status == 200 and "Peer profiles" in html


def test_the_demo_shows_its_own_error_pages_not_debug_pages(demo_server: str) -> None:
    browser = Browser(demo_server)
    status, html = browser.get("/no-such-page/")
    assert status == 404 and "Page not found" in html
    assert "URLconf" not in html and "DEBUG = True" not in html
    status, body = browser.get("/api/v1/no-such-endpoint")
    assert status == 404 and json.loads(body)["detail"]
