"""The JSON API at /api/v1/: one NinjaAPI, its authentication and its error format.

Every endpoint needs a signed-in user, by a bearer key or by the browser session. Errors
always come back as JSON:

* 401 ``{"detail": "..."}`` — not signed in; the message says how to authenticate.
* 403 ``{"detail": "..."}`` — signed in, may see the object, may not do this to it.
* 404 ``{"detail": "..."}`` — no such object, or one the user may not see (the same answer,
  so that confidential things cannot be discovered).
* 400 ``{"detail": "..."}`` — the body is not JSON.
* 405 ``{"detail": "..."}`` — the endpoint does not take this method (``Allow`` lists those
  it takes).
* 422 ``{"detail": [{"loc": [...], "msg": "...", "type": "..."}]}`` — bad input, one entry
  per problem, naming the field and the fix. Service errors use the same shape.
* 500 ``{"detail": "...", "error_id": "...", "request_id": "..."}`` — a fault of the server;
  the error id (the request's id, also in the ``X-Request-ID`` header) is logged with the
  exception. Nothing the request wrote is kept.
* 503 ``{"detail": "...", "error_id": "...", "request_id": "..."}`` with ``Retry-After`` —
  the database is unavailable for a moment; nothing the request wrote is kept.

Unknown addresses under /api/ answer 404 in the same shape (peerlearn.core.errors).
"""

import copy
import json
import math
from collections.abc import Callable
from functools import cached_property, wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import URLPattern, URLResolver, re_path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import SimpleRateThrottle
from ninja.utils import check_csrf

from peerlearn.accounts.api import router as accounts_router
from peerlearn.accounts.services import api_token_authenticate
from peerlearn.activities.api import router as activities_router
from peerlearn.alliances.api import router as alliances_router
from peerlearn.core.api import router as core_router
from peerlearn.core.errors import (
    api_not_found,
    api_server_error_body,
    database_unavailable,
    is_database_unavailable,
    log_server_error,
)
from peerlearn.core.middleware import SAFE_METHODS
from peerlearn.core.schemas import ErrorOut, ValidationErrorOut
from peerlearn.dashboards.api import router as dashboards_router
from peerlearn.demand.api import router as demand_router
from peerlearn.discussions.api import router as discussions_router
from peerlearn.evidence.api import router as evidence_router
from peerlearn.initiatives.api import router as initiatives_router
from peerlearn.library.api import router as library_router
from peerlearn.matchmaking.api import router as matchmaking_router
from peerlearn.organisations.api import router as organisations_router
from peerlearn.peers.api import authorisations_router, challenges_router, experiences_router
from peerlearn.peers.api import router as peers_router
from peerlearn.privacy.api import router as privacy_router
from peerlearn.reports.api import router as reports_router
from peerlearn.search.api import router as search_router
from peerlearn.strategy.api import router as strategy_router


class BearerKey(HttpBearer):
    """``Authorization: Bearer pl_…`` with a key from the account's API tokens. Scripts use
    this; it needs no CSRF token because browsers never send it on their own."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return api_token_authenticate(key=token.strip())


class SignedInSession(SessionAuth):
    """The browser's Django session. Unsafe methods must carry the CSRF token
    (``X-CSRFToken`` header), or another site could act in the user's name."""

    def __call__(self, request: HttpRequest) -> Any:
        # Anonymous requests fall through to 401, not to a CSRF failure that would hide
        # the real problem.
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if check_csrf(request) is not None:
            raise HttpError(
                403,
                _(
                    "CSRF check failed: send the value of the csrftoken cookie in an "
                    "X-CSRFToken header, or authenticate with a bearer key instead."
                ),
            )
        return user


class PerUserThrottle(SimpleRateThrottle):
    """At most ``PEERLEARN_API_RATE`` requests per signed-in user, however they sign in
    (bearer key or session); read at each request so settings can change it."""

    scope = "user"

    def get_rate(self) -> str | None:
        return str(settings.PEERLEARN_API_RATE) or None

    def allow_request(self, request: HttpRequest) -> bool:
        # The rate is read afresh each time (the base class reads it once, at start-up).
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return bool(super().allow_request(request))

    def get_cache_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "auth", None)
        ident = getattr(user, "pk", None)
        return None if ident is None else self.cache_format % {"scope": self.scope, "ident": ident}


DESCRIPTION = """
The peerlearn JSON API: reference data, organisations, peers with their challenges (demand)
and experiences (supply), the initiatives registry and learning alliances.

**Authentication.** Every endpoint needs a signed-in user, either

* `Authorization: Bearer <key>` with a key created on the website at `/accounts/tokens/`
  (or with `POST /api/v1/accounts/tokens`; the key is shown once), or
* the session cookie of a signed-in browser; `POST`, `PATCH` and `DELETE` then also need
  the `X-CSRFToken` header.

You see exactly what the same user sees on the website: content shared *privately* or
*within an alliance* is absent for anyone outside, and asking for it gives 404.

**Errors.** `401`, `403` and `404` answer `{"detail": "…"}`. Invalid input answers `422`
with `{"detail": [{"loc": ["body", "languages"], "msg": "…", "type": "…"}]}`, one entry per
problem; nothing is saved when any check fails.

**Limits.** Each user may make `PEERLEARN_API_RATE` requests (600 a minute unless the
operator sets otherwise); beyond, `429` with a `Retry-After` header in seconds.

**Paging.** Lists take `limit` (default 25, at most 300) and `offset`, and answer
`{"items": […], "count": <total>, "limit": …, "offset": …}`.
"""


class NulCharacterError(ValueError):
    """A NUL character in the request: the web forms refuse it, and PostgreSQL cannot store
    it, so the API refuses it too."""

    def __init__(self, loc: list[str | int]) -> None:
        super().__init__(loc)
        self.loc = loc


def _find_nul(value: Any, loc: list[str | int]) -> list[str | int] | None:
    if isinstance(value, str):
        return loc if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _find_nul(key, loc) or _find_nul(item, [*loc, key])
            if found:
                return found
    if isinstance(value, list):
        for i, item in enumerate(value):
            found = _find_nul(item, [*loc, i])
            if found:
                return found
    return None


class TextParser(Parser):
    """JSON bodies and query strings, refusing NUL characters anywhere in them."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = json.loads(request.body)
        loc = _find_nul(data, ["body"])
        if loc is not None:
            raise NulCharacterError(loc)
        return data

    def parse_querydict(self, data: Any, list_fields: list[str], request: HttpRequest) -> Any:
        parsed = super().parse_querydict(data, list_fields, request)
        loc = _find_nul(parsed, ["query"])
        if loc is not None:
            raise NinjaValidationError([_nul_error(loc)])
        return parsed


def _nul_error(loc: list[str | int]) -> dict[str, Any]:
    return {"loc": loc, "msg": _("Null characters are not allowed."), "type": "null_characters"}


# The refusals any operation may answer besides its own, by the condition that makes them
# possible; each operation's schema documents those that apply to it (DocumentedErrorsAPI).
SHARED_ERRORS: tuple[tuple[int, type[Schema], str], ...] = (
    (400, ErrorOut, "The body is not JSON."),
    (401, ErrorOut, "Not signed in: send a bearer key or a session cookie."),
    (403, ErrorOut, "Not allowed, or a session request without its CSRF token."),
    (404, ErrorOut, "No such object, or one you may not see."),
    (422, ValidationErrorOut, "Invalid input: one entry per problem, naming the field."),
    (429, ErrorOut, "Too many requests: wait the seconds in Retry-After."),
)


# Query parameters that name one object, answered 404 when it is missing or hidden.
OBJECT_FILTERS = {"alliance"}


def _shared_error_applies(status: int, method: str, path: str, operation: dict[str, Any]) -> bool:
    signed_in = bool(operation.get("security"))
    has_body = "requestBody" in operation
    if status == 400:
        return has_body
    if status in (401, 429):
        return signed_in
    if status == 403:
        return signed_in and method.upper() not in SAFE_METHODS
    if status == 404:
        # A path naming an object, or a filter naming one (?alliance=SLUG): a missing and
        # a hidden one get the same 404.
        return "{" in path or any(
            p.get("in") == "query" and p.get("name") in OBJECT_FILTERS
            for p in operation.get("parameters", [])
        )
    if status == 422:
        return has_body or bool(operation.get("parameters"))
    return False


class DocumentedErrorsAPI(NinjaAPI):
    """The API whose OpenAPI schema documents, on every operation, the shared refusals it
    can answer (see SHARED_ERRORS), in their JSON shapes, beside the operation's own."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """The schema, built once per process and language (about a second of work, for a
        document that changes only with the code); each caller gets its own copy."""
        from django.utils.translation import get_language

        key = (get_language(), repr(sorted(kwargs.items())))
        built = self._schemas.get(key)
        if built is None:
            built = self._schemas[key] = self._documented_schema(**kwargs)
        return copy.deepcopy(built)

    @cached_property
    def _schemas(self) -> dict[tuple[str | None, str], Any]:
        return {}

    def _documented_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for _status, model, _text in SHARED_ERRORS:
            if model.__name__ not in components:
                definition = model.model_json_schema(ref_template="#/components/schemas/{model}")
                for name, sub in definition.pop("$defs", {}).items():
                    components.setdefault(name, sub)
                components[model.__name__] = definition
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                for status, model, text in SHARED_ERRORS:
                    if status in responses or str(status) in responses:
                        continue
                    if _shared_error_applies(status, method, path, operation):
                        responses[str(status)] = {
                            "description": text,
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": f"#/components/schemas/{model.__name__}"}
                                }
                            },
                        }
        return schema


api = DocumentedErrorsAPI(
    title="peerlearn API",
    version="1",
    description=DESCRIPTION,
    auth=[BearerKey(), SignedInSession()],
    throttle=[PerUserThrottle()],
    urls_namespace="api",
    parser=TextParser(),
    # The schema is 426 kB of JSON: compressed for browsers that accept it (the docs page
    # loads it), about a tenth of that on the wire. Neither answer holds a secret.
    docs_decorator=gzip_page,
)

api.add_router("", core_router)
api.add_router("/accounts", accounts_router)
api.add_router("/organisations", organisations_router)
api.add_router("/peers", peers_router)
api.add_router("/challenges", challenges_router)
api.add_router("/experiences", experiences_router)
api.add_router("/authorisations", authorisations_router)
api.add_router("/initiatives", initiatives_router)
api.add_router("/alliances", alliances_router)
api.add_router("/alliances", strategy_router)
api.add_router("/dashboard", dashboards_router)
api.add_router("/matching", matchmaking_router)
api.add_router("/activities", activities_router)
api.add_router("/evidence", evidence_router)
api.add_router("/accounts", privacy_router)
api.add_router("/search", search_router)
api.add_router("/supply-and-demand", demand_router)
api.add_router("/reports", reports_router)
api.add_router("/library", library_router)
api.add_router("/discussions", discussions_router)


def _rollback(request: HttpRequest) -> None:
    # The error is answered, not raised, so the request's transaction (see
    # peerlearn.core.middleware) would otherwise commit whatever an endpoint wrote before
    # the failing step. Reads run outside a transaction: nothing to undo.
    if request.method in SAFE_METHODS:
        return
    if transaction.get_connection().in_atomic_block:
        transaction.set_rollback(True)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = _(
        "Authentication required: send an “Authorization: Bearer <key>” header with a key "
        "created at %(tokens)s, or sign in on the website and use the session cookie."
    ) % {"tokens": request.build_absolute_uri(reverse("accounts:tokens"))}
    response = api.create_response(request, {"detail": message}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="peerlearn"'
    return response


@api.exception_handler(Throttled)
def too_many_requests(request: HttpRequest, exc: Throttled) -> HttpResponse:
    wait = math.ceil(exc.wait) if exc.wait is not None else None
    message = (
        _("Too many requests: wait %(seconds)s seconds, then try again.") % {"seconds": wait}
        if wait is not None
        else _("Too many requests: wait a little, then try again.")
    )
    return api.create_response(request, {"detail": message}, status=429)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # Access-layer messages say only "No such …", never whether the thing exists.
    message = str(exc) if exc.args else _("Not found.")
    return api.create_response(request, {"detail": message}, status=404)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    _rollback(request)
    cause = exc.__cause__
    if isinstance(cause, NulCharacterError):
        return api.create_response(request, {"detail": [_nul_error(cause.loc)]}, status=422)
    if isinstance(cause, ValueError):  # the body is not JSON (or not UTF-8)
        message = _("The request body is not valid JSON: %(error)s") % {"error": cause}
        return api.create_response(request, {"detail": message}, status=400)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Any other failure: logged with an error id, answered without internals, and nothing
    the request wrote is kept. The database being unavailable answers 503 with Retry-After."""
    _rollback(request)
    if is_database_unavailable(exc):
        return database_unavailable(request)
    error_id = log_server_error(request)
    return api.create_response(request, api_server_error_body(error_id), status=500)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    _rollback(request)
    message = str(exc) if exc.args else _("You may not do this.")
    return api.create_response(request, {"detail": message}, status=403)


@api.exception_handler(NinjaValidationError)
def invalid_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    _rollback(request)
    return api.create_response(request, {"detail": _flatten_body_loc(exc.errors)}, status=422)


@api.exception_handler(DjangoValidationError)
def invalid_for_service(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    _rollback(request)
    return api.create_response(request, {"detail": django_errors(exc)}, status=422)


def django_errors(exc: DjangoValidationError) -> list[dict[str, Any]]:
    """A Django ValidationError as 422 entries. Services key errors by the input field they
    concern; errors about the whole input point at the body."""
    entries: list[dict[str, Any]] = []
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            loc = ["body"] if field == NON_FIELD_ERRORS else ["body", field]
            for error in errors:
                for message in error.messages:
                    entries.append({"loc": loc, "msg": message, "type": error.code or "invalid"})
    else:
        for error in exc.error_list:
            for message in error.messages:
                entries.append({"loc": ["body"], "msg": message, "type": error.code or "invalid"})
    return entries


def _flatten_body_loc(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # ninja names the endpoint's body parameter in loc (["body", "payload", "seniority"]);
    # that name is an implementation detail, so drop it to match the service errors.
    flattened = []
    for error in errors:
        loc = list(error.get("loc", ()))
        if len(loc) >= 2 and loc[0] == "body" and loc[1] == "payload":
            loc = ["body", *loc[2:]]
        flattened.append({**error, "loc": loc})
    return flattened


def _json_method_not_allowed(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            answer = api.create_response(
                request,
                {
                    "detail": _("This endpoint does not take %(method)s; it takes %(allowed)s.")
                    % {"method": request.method, "allowed": response.get("Allow", "")}
                },
                status=405,
            )
            answer["Allow"] = response.get("Allow", "")
            return answer
        return response

    return wrapper


def api_urls() -> tuple[list[URLPattern | URLResolver], str, str]:
    """The API's URL patterns: 405 answers in JSON, and any other address under the API
    answers a JSON 404."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _json_method_not_allowed(pattern.callback)
    return [*patterns, re_path(r"", api_not_found)], app_name, namespace
