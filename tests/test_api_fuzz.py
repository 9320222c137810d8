"""The whole API fuzzed with schemathesis, in-process, from the schema it serves.

The schema is read from ``/api/v1/openapi.json`` through the WSGI application (no network),
and every operation found in it is fuzzed with valid (positive) and invalid (negative)
requests, signed in by bearer key as a peer, an authoriser, a facilitator and an
administrator, and anonymously, with all of schemathesis' checks. Any failure of any kind
fails the test, which lists them all. Generation is seeded (``derandomize``), so a run is
repeatable; the number of cases is printed (``-s`` or the CI log shows it).

What an endpoint needs to pass, including one added later (nothing here names endpoints):

* every string, integer and array it takes is bounded in the schema (``max_length``,
  ``ge``/``le``, ``max_length`` on lists), and what the schema allows the endpoint accepts:
  an input the schema admits is never answered 400 or 422 (for a reference to something
  that does not exist, answer 404); an input it refuses never reaches the endpoint;
* it never answers 5xx;
* every status it answers is documented with its JSON shape: its own successes and
  refusals in ``response={...}``; the shared refusals (401, 403 for a missing CSRF token,
  404 for a path parameter, 422 for invalid input, 400 for a body that is not JSON, 429) are
  added to every operation by ``peerlearn.api`` (``DocumentedErrorsAPI``);
* each response matches its documented schema and content type (a file download documents
  its media type in ``openapi_extra``);
* it refuses anonymous callers with 401, and answers an unsupported method 405.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig

from peerlearn.accounts.tests.factories import make_api_key
from peerlearn.tests.api_helpers import build_api_world

# Viewers: a user name in the API world, or None for an anonymous caller.
VIEWERS = {
    "peer": "owner",
    "authoriser": "authoriser",
    "facilitator": "facilitator",
    "admin": "admin",
    "anonymous": None,
}
#: Generated cases per operation, per generation mode, per viewer (at most: small input
#: spaces give fewer). PostgreSQL gets fewer: the code and schema are the same on both
#: databases and SQLite runs more (about 5,700 cases); PostgreSQL's own refusals (a NUL
#: character in text, integers past 64 bits) still meet every operation. Set EXAMPLES
#: higher by hand for a longer run.
EXAMPLES = 3 if django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql") else 4

CASES: dict[str, int] = {}

# Every check, as schemathesis configures it, with one addition: an input the schema admits
# may still name something the database does not hold (a theme slug, a peer's id, a
# country code) or break a rule across fields (a team needs its problem): the endpoint
# answers 422 naming the field, which is a documented answer, not a rejected valid request.
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "401", "403", "404", "409", "422", "429"]
            }
        }
    }
)


@pytest.fixture
def keep_test_connection() -> Iterator[None]:
    """Requests go through the bare WSGI handler, whose request signals close "old"
    database connections; inside a test's transaction that closes the test's own connection
    (on PostgreSQL; SQLite's in-memory one survives). Django's test client detaches the same
    receivers for the same reason."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(settings: Any, keep_test_connection: None) -> Any:
    # Rate limits are tested elsewhere; here every request must meet the endpoint itself.
    settings.PEERLEARN_API_RATE = "1000000/min"
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler(), config=CONFIG)


def fuzz_operation(operation: Any, mode: GenerationMode, headers: dict[str, str]) -> int:
    """Run the cases of one operation in one mode; returns how many ran."""
    count = 0

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        nonlocal count
        count += 1
        case.call_and_validate(headers=headers)

    run()
    return count


@pytest.mark.django_db
@pytest.mark.parametrize("viewer", list(VIEWERS))
def test_every_operation_passes_every_check(viewer: str, api_schema: Any) -> None:
    world = build_api_world()
    username = VIEWERS[viewer]
    headers = {"Authorization": f"Bearer {make_api_key(world.users[username])}"} if username else {}
    failures: list[str] = []
    cases = 0
    started = time.monotonic()
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert operations, "the schema lists no operation"
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                cases += fuzz_operation(operation, mode, headers)
            except (Exception, BaseExceptionGroup) as e:
                failures.append(f"{operation.label} ({mode.value}, {viewer}): {e}")
    CASES[viewer] = cases
    print(
        f"\nschemathesis as {viewer}: {len(operations)} operations, {cases} cases, "
        f"{time.monotonic() - started:.0f} s, {len(failures)} failures; "
        f"all viewers so far: {sum(CASES.values())} cases"
    )
    assert not failures, "\n\n".join(failures)
