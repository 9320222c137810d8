"""Peer services: validation names the field and the fix, and nothing is half-saved."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from peerlearn.access.visibility import Visibility
from peerlearn.conftest import make_user
from peerlearn.peers.models import AuthorisationStatus, Challenge, Experience, PeerProfile
from peerlearn.peers.services import (
    authorisation_decide,
    authorisation_request,
    peer_profile_create,
    peer_profile_update,
    statement_create,
)

pytestmark = pytest.mark.django_db


def test_unknown_language_code_is_rejected_with_the_fix(world: SimpleNamespace) -> None:
    user = make_user("new", organisation=world.ministry)
    with pytest.raises(ValidationError) as e:
        peer_profile_create(user=user, position="Analyst", languages=["en", "xx"])
    assert "languages" in e.value.message_dict
    assert "ISO 639-1" in e.value.message_dict["languages"][0]
    assert not PeerProfile.objects.filter(user=user).exists()


def test_a_peer_needs_a_working_language_and_an_organisation(world: SimpleNamespace) -> None:
    with pytest.raises(ValidationError) as e:
        peer_profile_create(user=make_user("no_org"), position="Analyst", languages=["en"])
    assert "organisation" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        peer_profile_create(
            user=make_user("mute", organisation=world.ministry), position="A", languages=[]
        )
    assert "languages" in e.value.message_dict


def test_update_is_all_or_nothing(world: SimpleNamespace) -> None:
    peer = world.outsider
    with pytest.raises(ValidationError) as e:
        peer_profile_update(
            peer=peer, data={"position": "Changed", "seniority": 7, "languages": ["es"]}
        )
    assert "seniority" in e.value.message_dict
    peer.refresh_from_db()
    assert peer.position == "Revenue officer"
    assert [lang.code for lang in peer.languages.all()] == ["fr"]


def test_update_changes_languages_and_reform_areas(world: SimpleNamespace) -> None:
    peer = peer_profile_update(
        peer=world.outsider,
        data={"languages": ["es", "fr", "es"], "reform_areas": ["procurement"], "reform_stage": 3},
    )
    assert sorted(lang.code for lang in peer.languages.all()) == ["es", "fr"]
    assert [t.slug for t in peer.reform_areas.all()] == ["procurement"]
    assert peer.reform_stage == 3


def test_unknown_theme_names_the_field(world: SimpleNamespace) -> None:
    with pytest.raises(ValidationError) as e:
        statement_create(
            model=Challenge, peer=world.outsider, theme="astrology", title="t", description="d"
        )
    assert "theme" in e.value.message_dict


def test_bad_visibility_is_rejected(world: SimpleNamespace) -> None:
    with pytest.raises(ValidationError) as e:
        statement_create(
            model=Challenge,
            peer=world.outsider,
            theme="procurement",
            title="t",
            description="d",
            visibility="secret",
        )
    assert "visibility" in e.value.message_dict


def test_authorisation_only_from_an_authoriser_of_the_same_organisation(
    world: SimpleNamespace,
) -> None:
    with pytest.raises(ValidationError) as e:
        authorisation_request(peer=world.outsider, authoriser=world.authoriser_a, scope="Join.")
    assert "own organisation" in e.value.message_dict["authoriser"][0]
    with pytest.raises(ValidationError):
        authorisation_request(
            peer=world.member_alliance, authoriser=world.facilitator, scope="Join."
        )


def test_authorisation_lifecycle(world: SimpleNamespace) -> None:
    a = authorisation_request(
        peer=world.member_alliance, authoriser=world.authoriser_a, scope="Join."
    )
    with pytest.raises(ValidationError):
        authorisation_request(
            peer=world.member_alliance, authoriser=world.authoriser_a, scope="Again."
        )
    with pytest.raises(ValidationError):
        authorisation_decide(authorisation=a, status=AuthorisationStatus.REVOKED)
    authorisation_decide(authorisation=a, status=AuthorisationStatus.GRANTED)
    assert PeerProfile.objects.get(id=world.member_alliance.id).authorised
    authorisation_decide(authorisation=a, status=AuthorisationStatus.REVOKED)
    assert not PeerProfile.objects.get(id=world.member_alliance.id).authorised


def test_statement_visibility_defaults_to_platform(world: SimpleNamespace) -> None:
    c = statement_create(
        model=Challenge,
        peer=world.outsider,
        theme="procurement",
        title="t",
        description="Tendering online.",
    )
    assert c.visibility == Visibility.PLATFORM


def test_the_same_statement_sent_twice_is_refused_not_doubled(world: SimpleNamespace) -> None:
    """A form sent again from the browser's history must not add a second, identical
    challenge; a new one with its own title, or the same text as an experience, is fine."""
    fields = {
        "peer": world.outsider,
        "theme": "procurement",
        "title": "Open contracting data",
        "description": "Publishing every contract in the OCDS format.",
    }
    statement_create(model=Challenge, **fields)
    with pytest.raises(ValidationError) as e:
        statement_create(model=Challenge, **{**fields, "title": " open contracting DATA "})
    assert "You already have this one" in e.value.message_dict["title"][0]
    assert Challenge.objects.filter(peer=world.outsider).count() == 1
    statement_create(model=Challenge, **{**fields, "title": "Open contracting, phase 2"})
    statement_create(model=Experience, **fields)
    assert Challenge.objects.filter(peer=world.outsider).count() == 2


def test_a_description_of_a_word_is_refused_by_its_field(world: SimpleNamespace) -> None:
    with pytest.raises(ValidationError) as e:
        statement_create(
            model=Challenge, peer=world.outsider, theme="procurement", title="Fees", description="x"
        )
    assert e.value.message_dict["description"] == [
        "Describe it in a sentence or more (at least 12 characters; it has 1): peers and the "
        "matching read it."
    ]
    assert not Challenge.objects.filter(peer=world.outsider).exists()
