"""What a view's ``request`` is, for the type checker.

- :class:`HtmxHttpRequest` for any view: django-htmx's middleware (in ``MIDDLEWARE``) sets
  ``request.htmx`` on every request, as django-htmx documents.
- :class:`AuthenticatedHttpRequest` for views behind ``@login_required`` only: there
  ``request.user`` is a signed-in :class:`~peerlearn.accounts.models.User`, never an
  ``AnonymousUser``.

Views open to anonymous visitors keep ``request.user`` as ``User | AnonymousUser`` (the access
layer's ``Viewer``) and narrow it with ``request.user.is_authenticated`` or
``peerlearn.access.base.is_signed_in``. These classes are annotations only: Django still
passes its own ``HttpRequest`` (a ``WSGIRequest``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from peerlearn.accounts.models import User


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    user: User


def site_url(request: HttpRequest) -> str:
    """The platform's address, for links in e-mails: ``PEERLEARN_SITE_URL`` when it is set
    (the address the worker's e-mails use too, so every e-mail leads to the same site and
    its session), else the address this request reached."""
    return settings.PEERLEARN_SITE_URL or request.build_absolute_uri("/").rstrip("/")


def safe_next(request: HttpRequest) -> str:
    """The page to go to next (``next`` in the form or the address), when it is on this
    site; "" otherwise. An invitation's address, say, carried through sign-up and the new
    peer's profile."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def redirect_to_messages(to: str, *args: object, **kwargs: object) -> HttpResponseRedirect:
    """After a form far down a page is saved: back to the page at its messages (``#messages``
    in ``base.html``), where the confirmation is. Without a fragment of its own, the browser
    would keep the form's (``action="…#form-h"``) and open the page at the form again, away
    from the message."""
    return HttpResponseRedirect(resolve_url(to, *args, **kwargs) + "#messages")
