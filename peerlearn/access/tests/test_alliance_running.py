"""Running an alliance, every role against every alliance visibility: who starts one, who
manages its people, who reads and answers its checklists, who reads its risk notes and its
history, and which invitations and directory each sees."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from peerlearn.access.alliances import (
    access_alliance_checklist,
    access_alliance_for_manage,
    access_alliance_risks,
    access_invitation_by_token,
    access_own_membership,
    can_create_alliance,
    can_edit_checklist,
    can_read_alliance_history,
    invitations_visible_to,
    people_invitable_by,
    risk_notes_visible_to,
)
from peerlearn.access.base import AccessDenied, NotFound
from peerlearn.access.roles import Role
from peerlearn.alliances.invitations import invitation_token
from peerlearn.alliances.models import MemberRole, RiskKind
from peerlearn.alliances.services import (
    alliance_invite_email,
    alliance_member_add,
    risk_note_create,
)
from peerlearn.conftest import make_user

pytestmark = pytest.mark.django_db

VIEWERS = (
    "anonymous",
    "member_alliance",  # a peer learner in the inner alliance
    "observer",  # an observer in the inner alliance
    "outsider",
    "facilitator",  # facilitates every alliance
    "other_facilitator",
    "funder",  # funds the inner alliance
    "authoriser_a",
    "admin",
)
ALLIANCES = ("inner", "public_alliance", "platform_alliance", "private_alliance")
EVERY = set(ALLIANCES)


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    world.other_facilitator = make_user("other_facilitator", role=Role.FACILITATOR)
    world.observer = make_user("observer_user")
    alliance_member_add(alliance=world.inner, user=world.observer, role=MemberRole.OBSERVER)
    for name in ALLIANCES:
        alliance = getattr(world, name)
        risk_note_create(
            alliance=alliance, kind=RiskKind.ELECTORAL, title=f"Risk {name}", by=world.facilitator
        )
        alliance_invite_email(alliance=alliance, email=f"{name}@example.org", by=world.facilitator)
    return world


def viewer(w: SimpleNamespace, name: str) -> Any:
    if name == "anonymous":
        return AnonymousUser()
    obj = getattr(w, name)
    return getattr(obj, "user", obj)


def allowed(w: SimpleNamespace, who: str, access: Any) -> set[str]:
    ok = set()
    for name in ALLIANCES:
        try:
            access(viewer(w, who), getattr(w, name).slug)
        except (NotFound, AccessDenied):
            continue
        ok.add(name)
    return ok


# Who reads an alliance's checklists: its inside (members in any role, its funders) and
# administrators.
CHECKLIST_READ = {
    "anonymous": set(),
    "member_alliance": {"inner"},
    "observer": {"inner"},
    "outsider": set(),
    "facilitator": EVERY,
    "other_facilitator": set(),
    "funder": {"inner"},
    "authoriser_a": set(),
    "admin": EVERY,
}
# Who manages (people, priorities, answers, history, risk notes): its facilitators and
# administrators.
MANAGE = {
    "anonymous": set(),
    "member_alliance": set(),
    "observer": set(),
    "outsider": set(),
    "facilitator": EVERY,
    "other_facilitator": set(),
    "funder": set(),
    "authoriser_a": set(),
    "admin": EVERY,
}


@pytest.mark.parametrize("who", VIEWERS)
def test_who_reads_the_checklists(w: SimpleNamespace, who: str) -> None:
    assert allowed(w, who, access_alliance_checklist) == CHECKLIST_READ[who]


@pytest.mark.parametrize("who", VIEWERS)
def test_who_answers_the_checklists_and_reads_the_history(w: SimpleNamespace, who: str) -> None:
    user = viewer(w, who)
    for name in ALLIANCES:
        alliance = getattr(w, name)
        assert can_edit_checklist(user, alliance) == (name in MANAGE[who])
        assert can_read_alliance_history(user, alliance) == (name in MANAGE[who])


@pytest.mark.parametrize("who", VIEWERS)
def test_who_manages_the_people(w: SimpleNamespace, who: str) -> None:
    assert allowed(w, who, access_alliance_for_manage) == MANAGE[who]


@pytest.mark.parametrize("who", VIEWERS)
def test_risk_notes_are_for_facilitators_only(w: SimpleNamespace, who: str) -> None:
    assert allowed(w, who, access_alliance_risks) == MANAGE[who]
    titles = set(risk_notes_visible_to(viewer(w, who)).values_list("title", flat=True))
    assert titles == {f"Risk {name}" for name in MANAGE[who]}


@pytest.mark.parametrize("who", VIEWERS)
def test_invitations_are_for_facilitators_only(w: SimpleNamespace, who: str) -> None:
    emails = set(invitations_visible_to(viewer(w, who)).values_list("email", flat=True))
    assert emails == {f"{name}@example.org" for name in MANAGE[who]}


@pytest.mark.parametrize("who", VIEWERS)
def test_who_starts_an_alliance(w: SimpleNamespace, who: str) -> None:
    assert can_create_alliance(viewer(w, who)) == (
        who in ("facilitator", "other_facilitator", "admin")
    )


@pytest.mark.parametrize("who", VIEWERS)
def test_the_directory_picker(w: SimpleNamespace, who: str) -> None:
    people = set(people_invitable_by(viewer(w, who)).values_list("username", flat=True))
    if who not in ("facilitator", "admin"):
        # Someone who manages no alliance has nobody to add.
        assert people == set()
        return
    assert {"member_platform", "outsider", "outsider_public", "facilitator", "funder"} <= people
    # Never a private profile the viewer may not see, nor an authoriser or administrator.
    assert "authoriser_a" not in people
    if who == "facilitator":
        assert "member_private" not in people


@pytest.mark.parametrize("who", VIEWERS)
def test_leaving_needs_a_membership(w: SimpleNamespace, who: str) -> None:
    assert allowed(w, who, access_own_membership) == {
        "member_alliance": {"inner"},
        "observer": {"inner"},
        "facilitator": EVERY,
    }.get(who, set())


def test_an_invitation_link_is_for_the_signed_in(w: SimpleNamespace) -> None:
    invitation = w.inner.invitations.get()
    token = invitation_token(invitation.id)
    with pytest.raises(NotFound):
        access_invitation_by_token(AnonymousUser(), token)
    with pytest.raises(NotFound):
        access_invitation_by_token(w.outsider.user, token[:-2] + "xx")
    assert access_invitation_by_token(w.outsider.user, token) == invitation
