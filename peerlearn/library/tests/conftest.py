from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from peerlearn.access.visibility import Visibility
from peerlearn.library.models import Case, Resource, ResourceType


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> Path:
    """Uploaded files go to a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT  # type: ignore[no-any-return]


@pytest.fixture
def items(world: SimpleNamespace) -> SimpleNamespace:
    """A public and a private case, and an alliance's resource, by the facilitator."""
    w = world
    w.public_case = Case.objects.create(
        title="Public case on parking fees",
        summary="Counties compared cash collection.",
        visibility=Visibility.PUBLIC,
        author=w.facilitator,
    )
    w.private_case = Case.objects.create(
        title="Private case on tax amnesty",
        summary="Kept by its author.",
        visibility=Visibility.PRIVATE,
        author=w.facilitator,
    )
    w.inner_resource = Resource.objects.create(
        title="Inner workshop notes",
        type=ResourceType.REPORT,
        url="https://example.org/notes",
        visibility=Visibility.ALLIANCE,
        alliance=w.inner,
        author=w.facilitator,
    )
    return w


@pytest.fixture
def items_world(items: SimpleNamespace) -> SimpleNamespace:
    return items
