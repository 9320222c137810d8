"""Writing the library: who publishes, who submits, review, and the checks that keep
anything from being half-saved."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import ValidationError

from peerlearn.access.visibility import Visibility
from peerlearn.library.models import Case, ItemStatus, Resource, ResourceType, Tag
from peerlearn.library.services import (
    case_create,
    case_update,
    item_decline,
    item_publish,
    resource_create,
    resource_update,
)
from peerlearn.library.tests import files


def _case(author: Any, **kw: Any) -> Case:
    fields: dict[str, Any] = {
        "title": "Revenue peers in Kenya",
        "summary": "Counties learned from one another.",
        "themes": ["revenue-pfm"],
        "countries": ["KE"],
        "lessons": ["Start small.", "", "  Keep   the politics in view. "],
        "tags": ["Own-source revenue", "own-source revenue", "timing"],
    }
    fields.update(kw)
    return case_create(author=author, **fields)


def test_a_facilitator_publishes_at_once(world: SimpleNamespace) -> None:
    case = _case(world.facilitator)
    assert case.status == ItemStatus.PUBLISHED
    assert [lesson.text for lesson in case.lessons.all()] == [
        "Start small.",
        "Keep the politics in view.",
    ]
    assert sorted(t.name for t in case.tags.all()) == ["own-source revenue", "timing"]
    assert [t.slug for t in case.themes.all()] == ["revenue-pfm"]
    assert [c.code for c in case.countries.all()] == ["KE"]
    assert not mail.outbox


@pytest.fixture
def mails(monkeypatch: pytest.MonkeyPatch) -> None:
    """E-mail goes once the transaction commits; here, at once."""
    monkeypatch.setattr("peerlearn.core.mail.transaction", SimpleNamespace(on_commit=lambda f: f()))


def test_a_peer_submits_and_a_facilitator_reviews(world: SimpleNamespace, mails: None) -> None:
    peer = world.outsider.user
    case = _case(peer)
    assert case.status == ItemStatus.PROPOSED
    assert [m.to for m in mail.outbox] == [[world.facilitator.email]]
    assert "submitted" in mail.outbox[0].subject
    with pytest.raises(ValidationError) as e:
        item_decline(item=case, reviewer=world.facilitator, note="  ")
    assert "Say why" in e.value.message_dict["note"][0]
    item_decline(item=case, reviewer=world.facilitator, note="Add the lessons.")
    assert case.status == ItemStatus.DECLINED and case.review_note == "Add the lessons."
    assert mail.outbox[-1].to == [peer.email]
    with pytest.raises(ValidationError) as e:
        item_publish(item=case, reviewer=world.facilitator)
    assert "waiting for review" in e.value.message_dict["status"][0]
    # The author edits it: it goes back to review.
    case_update(case=case, editor=peer, title=case.title, summary="Better.", lessons=["One."])
    assert case.status == ItemStatus.PROPOSED
    item_publish(item=case, reviewer=world.facilitator)
    case.refresh_from_db()
    assert case.status == ItemStatus.PUBLISHED and case.reviewed_by == world.facilitator
    # An edit by its author, who does not publish, sends it back to review again.
    case_update(case=case, editor=peer, title="Changed", summary="Better.")
    assert case.status == ItemStatus.PROPOSED


def test_an_alliance_item_needs_a_member_and_an_inside_level(
    world: SimpleNamespace, mails: None
) -> None:
    with pytest.raises(ValidationError) as e:
        _case(world.outsider.user, alliance=world.inner, visibility=Visibility.ALLIANCE)
    assert "member of" in e.value.message_dict["alliance"][0]
    with pytest.raises(ValidationError) as e:
        _case(world.member_platform.user, alliance=world.inner, visibility=Visibility.PUBLIC)
    assert "choose “Alliance”" in e.value.message_dict["visibility"][0]
    case = _case(world.member_platform.user, alliance=world.inner, visibility=Visibility.ALLIANCE)
    # Submitted to the alliance's facilitators.
    assert case.status == ItemStatus.PROPOSED
    assert mail.outbox[-1].to == [world.facilitator.email]
    assert not Case.objects.filter(visibility=Visibility.PUBLIC, alliance=world.inner).exists()


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"themes": ["no-such-theme"]}, "themes", "Unknown theme"),
        ({"countries": ["XX"]}, "countries", "XX"),
        ({"lessons": ["x" * 401]}, "lessons", "Lesson 1 is longer than 400"),
        ({"lessons": ["a"] * 21}, "lessons", "at most 20 lessons"),
        ({"tags": ["t" * 41]}, "tags", "under 40 characters"),
        ({"tags": [f"t{n}" for n in range(11)]}, "tags", "at most 10 tags"),
        ({"title": ""}, "title", ""),
        ({"link": "not an address"}, "link", ""),
    ],
)
def test_bad_case_input_saves_nothing(
    world: SimpleNamespace, fields: dict[str, Any], field: str, words: str
) -> None:
    tags_before = Tag.objects.count()
    with pytest.raises(ValidationError) as e:
        _case(world.facilitator, **fields)
    assert words in " ".join(e.value.message_dict[field])
    assert not Case.objects.filter(author=world.facilitator).exists()
    assert Tag.objects.count() == tags_before


def _stored(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file())


def test_a_resource_needs_a_file_or_an_address(world: SimpleNamespace) -> None:
    with pytest.raises(ValidationError) as e:
        resource_create(author=world.facilitator, title="Guide", type=ResourceType.GUIDE)
    assert "Upload a file, or give the address" in e.value.message_dict["file"][0]
    with pytest.raises(ValidationError) as e:
        resource_create(author=world.facilitator, title="A site", type=ResourceType.LINK)
    assert "needs its address" in e.value.message_dict["url"][0]


def test_an_upload_is_stored_under_a_generated_name(world: SimpleNamespace, _media: Path) -> None:
    resource = resource_create(
        author=world.facilitator,
        title="Guide",
        type=ResourceType.GUIDE,
        upload=files.pdf("../../secret/My Guide.pdf"),
        themes=["revenue-pfm"],
    )
    assert resource.file.name.startswith("library/") and resource.file.name.endswith(".pdf")
    assert "Guide" not in resource.file.name and ".." not in resource.file.name
    assert resource.file_name.endswith("My Guide.pdf")
    assert resource.file_size == len(files.pdf().read())
    assert _stored(_media) == [_media / resource.file.name]


@pytest.mark.parametrize(
    "upload", [files.upload("tool.pdf", b"MZ executable"), files.upload("x.exe", b"MZ")]
)
def test_a_bad_upload_leaves_no_row_and_no_file(
    world: SimpleNamespace, _media: Path, upload: Any
) -> None:
    with pytest.raises(ValidationError) as e:
        resource_create(
            author=world.facilitator,
            title="Tool",
            type=ResourceType.TOOLKIT,
            upload=upload,
            tags=["fresh tag"],
        )
    assert "file" in e.value.message_dict
    assert not Resource.objects.exists()
    assert not Tag.objects.filter(name="fresh tag").exists()
    assert _stored(_media) == []


def test_a_failing_save_removes_the_stored_file(world: SimpleNamespace, _media: Path) -> None:
    with pytest.raises(ValidationError) as e:
        resource_create(
            author=world.facilitator,
            title="Tool",
            type=ResourceType.TOOLKIT,
            upload=files.pdf(),
            themes=["no-such-theme"],
        )
    assert "themes" in e.value.message_dict
    assert not Resource.objects.exists()
    assert _stored(_media) == []


def test_replacing_a_file_removes_the_old_one_once_committed(
    world: SimpleNamespace, _media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    resource = resource_create(
        author=world.facilitator, title="Plan", type=ResourceType.TEMPLATE, upload=files.pdf()
    )
    old = resource.file.name
    with django_capture_on_commit_callbacks(execute=True):
        resource_update(
            resource=resource,
            editor=world.facilitator,
            title="Plan",
            type=ResourceType.TEMPLATE,
            upload=files.upload("plan.csv", b"a,b\n1,2\n"),
        )
    assert resource.file.name != old and resource.file.name.endswith(".csv")
    assert _stored(_media) == [_media / resource.file.name]


def test_visibility_changes_are_in_the_audit_trail(world: SimpleNamespace) -> None:
    case = _case(world.facilitator, visibility=Visibility.PLATFORM)
    case_update(
        case=case,
        editor=world.facilitator,
        title=case.title,
        summary=case.summary,
        visibility=Visibility.PUBLIC,
    )
    entries = LogEntry.objects.get_for_object(case)
    changes = [e.changes_dict for e in entries if "visibility" in e.changes_dict]
    assert any(c["visibility"] == ["platform", "public"] for c in changes)
