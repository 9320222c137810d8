"""A signed-in person's language follows them: the one they chose on their account page or
in the footer is the one their pages and e-mails are in, on every browser they sign in on.

Django keeps the footer's choice in a cookie, for one browser, and
:class:`~django.middleware.locale.LocaleMiddleware` reads it (else the browser's
``Accept-Language``). Here the choice is also kept on the account (``preferred_language``,
the language e-mails are written in: :mod:`peerlearn.core.mail`), and a browser without the
cookie takes the account's language at its first signed-in page, the cookie set with it.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.i18n import set_language

from peerlearn.accounts.services import user_language_set


def language_remember(response: HttpResponse, language: str) -> None:
    """Set Django's language cookie, as :func:`django.views.i18n.set_language` does."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def language_choose(request: HttpRequest) -> HttpResponse:
    """The footer's language form: this browser's choice (Django's view), kept on the
    account too when someone is signed in."""
    response = set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        # An unknown language changes nothing, here as in Django's view.
        with suppress(ValidationError):
            user_language_set(user=request.user, language=request.POST.get("language", ""))
    return response


class AccountLanguageMiddleware:
    """After :class:`~django.middleware.locale.LocaleMiddleware` and the authentication
    middleware: a signed-in reader whose browser has chosen no language reads in their
    account's, and the browser keeps it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = ""
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and request.user.is_authenticated:
            language = getattr(request.user, "preferred_language", "")
            if language in dict(settings.LANGUAGES):
                translation.activate(language)
                request.LANGUAGE_CODE = language
            else:
                language = ""
        response = self.get_response(request)
        if language:
            language_remember(response, language)
        return response
