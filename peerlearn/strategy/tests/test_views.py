"""The pre-assessment and strategy pages: the whole flow as plain form posts (no
JavaScript), the htmx fragments, and who gets 404, 403 or a page."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from peerlearn.matching import TfidfEncoder
from peerlearn.strategy import services
from peerlearn.strategy.models import GroupRank, PreAssessment, PreAssessmentState


@pytest.fixture(autouse=True)
def _tfidf(settings: Any) -> None:
    settings.PEERLEARN_MATCHING_ENCODER = "tfidf"


def client(user: Any = None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def url(name: str, w: SimpleNamespace, *args: Any) -> str:
    return reverse(f"strategy:{name}", args=[w.inner.slug, *args])


def test_the_whole_pre_assessment_without_javascript(world: SimpleNamespace) -> None:
    members = [world.member_alliance.user, world.member_platform.user, world.member_private.user]
    texts = [
        ("Market fees paid in cash leak", "Cash market fees go missing."),
        ("Cash leakage in market fees", "Market fees in cash never reach the bank."),
        ("Performance contracts for officers", "Targets and appraisal for revenue officers."),
        ("Appraisal targets for revenue officers", "Performance contracts for officers."),
    ]
    for i, (title, description) in enumerate(texts):
        r = client(members[i % 3]).post(
            url("preassessment", world), {"title": title, "description": description}
        )
        assert r.status_code == 302
    # A missing title is named next to its field.
    r = client(members[0]).post(url("preassessment", world), {"title": ""})
    assert r.status_code == 400
    assert "Name the need in a few words." in r.content.decode()

    fac = client(world.facilitator)
    assert fac.get(url("grouping", world)).status_code == 200
    assert fac.post(url("grouping", world), {"n_groups": "2"}).status_code == 302
    groups = list(world.inner.need_groups.all())
    assert sorted(g.needs.count() for g in groups) == [2, 2]
    page = fac.get(url("preassessment", world)).content.decode()
    assert "Rename or merge" in page and "Cash leakage in market fees" in page
    r = fac.post(url("group", world, groups[0].id), {"title": "Cash collection"})
    assert r.status_code == 302
    assert fac.post(url("ranking_state", world), {"action": "open"}).status_code == 302
    assert PreAssessment.objects.get(alliance=world.inner).state == PreAssessmentState.RANKING

    me = client(world.member_alliance.user)
    form = me.get(url("ranking", world))
    assert form.status_code == 200 and "Cash collection" in form.content.decode()
    a, b = groups
    r = me.post(url("ranking", world), {f"group_{a.id}": "1", f"group_{b.id}": "1"})
    assert r.status_code == 400
    # Beside each group, naming the other that has its number.
    a.refresh_from_db()
    b.refresh_from_db()
    errors = r.context["form"].errors
    assert errors[f"group_{a.id}"] == [
        f"1 is given to “{b.title}” too: give each group its own number."
    ]
    assert errors[f"group_{b.id}"] == [
        f"1 is given to “{a.title}” too: give each group its own number."
    ]
    r = me.post(url("ranking", world), {f"group_{a.id}": "1"})
    assert r.context["form"].errors[f"group_{b.id}"] == ["Give this group a number."]
    assert (
        me.post(url("ranking", world), {f"group_{a.id}": "2", f"group_{b.id}": "1"}).status_code
        == 302
    )
    assert GroupRank.objects.filter(member=world.member_alliance.user).count() == 2

    confirm = fac.get(url("ranking_state", world) + "?action=close")
    assert "Close the ranking?" in confirm.content.decode()
    r = fac.post(url("ranking_state", world), {"action": "close", "priorities": "2"})
    assert r.status_code == 302
    assert world.inner.priorities.all()[0].title == b.title

    # Closed: the page says so and shows the member's ranking, read-only.
    closed = me.get(url("ranking", world)).content.decode()
    assert "The ranking closed on " in closed and 'name="group_' not in closed
    mine = closed[closed.index("My ranking") :]
    assert mine.index(b.title) < mine.index("Cash collection")  # a, renamed
    late = me.post(url("ranking", world), {f"group_{a.id}": "1", f"group_{b.id}": "2"})
    assert late.status_code == 400 and "The ranking closed on " in late.content.decode()
    assert GroupRank.objects.get(member=world.member_alliance.user, group=b).rank == 1


def test_htmx_gets_the_needs_fragment(world: SimpleNamespace) -> None:
    r = client(world.member_alliance.user).post(
        url("preassessment", world), {"title": "Budget for revenue"}, HTTP_HX_REQUEST="true"
    )
    assert r.status_code == 200
    body = r.content.decode()
    assert body.lstrip().startswith('<section id="needs"') and "<html" not in body


PAGE_STATUS = {
    # the pre-assessment and strategy pages of an alliance-level alliance
    "outsider": 404,
    "authoriser_a": 404,
    "member_alliance": 200,
    "funder": 200,
    "facilitator": 200,
    "admin": 200,
}


@pytest.mark.parametrize("who", sorted(PAGE_STATUS))
@pytest.mark.parametrize("name", ["preassessment", "strategy"])
def test_who_reads_the_pages(world: SimpleNamespace, who: str, name: str) -> None:
    user = getattr(world, who)
    r = client(getattr(user, "user", user)).get(url(name, world))
    assert r.status_code == PAGE_STATUS[who]


def test_anonymous_is_asked_to_sign_in(world: SimpleNamespace) -> None:
    r = client().get(url("preassessment", world))
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_members_cannot_run_it_and_the_funder_cannot_take_part(world: SimpleNamespace) -> None:
    member = client(world.member_alliance.user)
    assert member.get(url("grouping", world)).status_code == 403
    assert member.post(url("ranking_state", world), {"action": "open"}).status_code == 403
    assert member.post(url("strategy", world)).status_code == 403
    funder = client(world.funder)
    assert funder.post(url("preassessment", world), {"title": "x"}).status_code == 403
    assert funder.get(url("ranking", world)).status_code == 403
    assert not world.inner.learning_needs.exists()


def test_another_members_need_is_not_theirs_to_edit(world: SimpleNamespace) -> None:
    need = services.need_submit(
        alliance=world.inner, author=world.member_platform.user, title="Cash leaks"
    )
    assert client(world.member_alliance.user).get(url("need", world, need.id)).status_code == 403
    assert client(world.outsider.user).get(url("need", world, need.id)).status_code == 404
    r = client(world.member_platform.user).post(url("need", world, need.id), {"withdraw": "1"})
    assert r.status_code == 302
    assert not world.inner.learning_needs.exists()


def test_moving_a_need_splits_a_group(world: SimpleNamespace) -> None:
    for t in ("Cash leaks in markets", "Market cash leaks"):
        services.need_submit(alliance=world.inner, author=world.member_platform.user, title=t)
    services.needs_group(alliance=world.inner, encoder=TfidfEncoder(), n_groups=1)
    need = world.inner.learning_needs.first()
    fac = client(world.facilitator)
    assert fac.get(url("need_move", world, need.id)).status_code == 200
    assert fac.post(url("need_move", world, need.id), {"group": ""}).status_code == 302
    assert world.inner.need_groups.count() == 2
    assert (
        client(world.member_platform.user).post(url("need_move", world, need.id)).status_code == 403
    )


def test_the_strategy_is_drafted_confirmed_and_reminded(
    world, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    fac = client(world.facilitator)
    assert fac.post(url("strategy", world)).status_code == 302
    part = world.inner.strategy_parts.get(member=world.member_platform.user)
    services.alliance_priorities_replace(alliance=world.inner, priorities=[("Contracts", "")])
    topic = world.inner.priorities.get()
    me = client(world.member_platform.user)
    edit = me.get(url("part", world, part.id))
    assert edit.status_code == 200 and "Contracts" in edit.content.decode()
    data = {
        "expected_result": "Every officer on a performance contract",
        "objectives-TOTAL_FORMS": "1",
        "objectives-INITIAL_FORMS": "0",
        "objectives-MIN_NUM_FORMS": "0",
        "objectives-MAX_NUM_FORMS": "20",
        "objectives-0-what": "Cascading contracts",
        "objectives-0-topic": str(topic.id),
        "objectives-0-learn_from": str(world.member_alliance.user.id),
        "objectives-0-methods": ["exchange_visit", "coaching"],
    }
    # A row with a topic and a method but nothing learned is refused, not dropped.
    refused = me.post(url("part", world, part.id), {**data, "objectives-0-what": ""})
    assert refused.status_code == 400
    assert "Say what you learn in this objective" in refused.content.decode()
    assert not part.objectives.exists()
    assert me.post(url("part", world, part.id), data).status_code == 302
    part.refresh_from_db()
    objective = part.objectives.get()
    assert (objective.topic, objective.learn_from, objective.methods) == (
        topic,
        world.member_alliance.user,
        ["exchange_visit", "coaching"],
    )
    # The facilitator sees the part unconfirmed, with a reminder button.
    page = fac.get(url("strategy", world)).content.decode()
    assert "Not confirmed" in page and url("part_remind", world, part.id) in page
    with django_capture_on_commit_callbacks(execute=True):
        r = fac.post(url("part_remind", world, part.id), HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and f'id="part-{part.id}"' in r.content.decode()
    assert len(mailoutbox) == 1
    # Only the member confirms.
    assert fac.post(url("part_confirm", world, part.id)).status_code == 403
    assert me.post(url("part_confirm", world, part.id)).status_code == 302
    part.refresh_from_db()
    assert part.confirmed
    # The facilitator's edit un-confirms it.
    data["expected_result"] = "Every officer on a contract by June"
    assert fac.post(url("part", world, part.id), data).status_code == 302
    part.refresh_from_db()
    assert not part.confirmed
    # Another member neither edits nor confirms it.
    other = client(world.member_alliance.user)
    assert other.get(url("part", world, part.id)).status_code == 403
    assert other.post(url("part_confirm", world, part.id)).status_code == 403


def test_htmx_confirm_and_remind_say_their_outcome_in_the_part(
    world, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    """The buttons swap only the part: what happened, or why not, shows there, once, and
    is not left waiting for the next page; a second reminder the same day sends nothing."""
    fac = client(world.facilitator)
    fac.post(url("strategy", world))
    part = world.inner.strategy_parts.get(member=world.member_platform.user)
    me = client(world.member_platform.user)
    r = me.post(url("part_confirm", world, part.id), HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert r.status_code == 200 and f'id="part-{part.id}"' in body
    assert "Write the result you expect for your organisation first." in body
    page = me.get(url("strategy", world)).content.decode()
    assert "Write the result you expect for your organisation first." not in page
    with django_capture_on_commit_callbacks(execute=True):
        first = fac.post(url("part_remind", world, part.id), HTTP_HX_REQUEST="true")
        second = fac.post(url("part_remind", world, part.id), HTTP_HX_REQUEST="true")
    name = str(world.member_platform.user)
    assert f"A reminder is on its way to {name}." in first.content.decode()
    assert "reminded less than a day ago" in second.content.decode()
    assert len(mailoutbox) == 1
    assert "A reminder is on its way" not in fac.get(url("strategy", world)).content.decode()


def test_confirming_in_place_updates_the_pages_count(world: SimpleNamespace) -> None:
    """htmx swaps the part, and the "n of m parts confirmed" above the parts with it."""
    client(world.facilitator).post(url("strategy", world))
    part = world.inner.strategy_parts.get(member=world.member_platform.user)
    services.strategy_part_update(
        part=part,
        expected_result="Contracts for every officer",
        objectives=[
            services.ObjectiveInput(
                what="How to cascade performance contracts",
                learn_from=world.member_alliance.user,
                methods=("coaching",),
            )
        ],
    )
    total = world.inner.strategy_parts.count()
    me = client(world.member_platform.user)
    page = me.get(url("strategy", world)).content.decode()
    assert f'<p id="parts-confirmed">0 of {total} parts confirmed.</p>' in page
    r = me.post(url("part_confirm", world, part.id), HTTP_HX_REQUEST="true").content.decode()
    assert f'<p id="parts-confirmed" hx-swap-oob="true">1 of {total} parts confirmed.</p>' in r


def test_saving_a_part_with_gaps_says_what_confirming_still_needs(
    world: SimpleNamespace,
) -> None:
    client(world.facilitator).post(url("strategy", world))
    part = world.inner.strategy_parts.get(member=world.member_platform.user)
    me = client(world.member_platform.user)
    form = me.get(url("part", world, part.id)).context["formset"]
    data = {f"{form.prefix}-{k}": v for k, v in form.management_form.initial.items()}
    saved = me.post(url("part", world, part.id), {"expected_result": "", **data}, follow=True)
    text = saved.content.decode()
    assert "Your part is saved. Before you can confirm it:" in text
    assert "Write the result you expect for your organisation first." in text
    assert "Add at least one learning objective first." in text


def test_the_facilitators_home_links_the_dashboard(world: SimpleNamespace) -> None:
    body = client(world.facilitator).get("/").content.decode()
    assert reverse("facilitator_dashboard") in body


def test_the_readers_own_part_comes_first(world: SimpleNamespace) -> None:
    from peerlearn.strategy.selectors import strategy_detail

    assert client(world.facilitator).post(url("strategy", world)).status_code == 302
    members = [
        p.part.member_id
        for p in strategy_detail(user=world.facilitator, alliance=world.inner).parts
    ]
    assert len(members) >= 2
    for user in (world.member_platform.user, world.member_alliance.user):
        parts = strategy_detail(user=user, alliance=world.inner).parts
        assert parts[0].part.member_id == user.id
        assert sorted(p.part.member_id for p in parts) == sorted(members)


def test_without_javascript_remind_and_confirm_name_the_member_and_return_to_the_part(
    world, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    """The reminder said "the member" without naming them, and both buttons sent the
    reader back to the top of the page instead of to the part."""
    fac = client(world.facilitator)
    fac.post(url("strategy", world))
    part = world.inner.strategy_parts.get(member=world.member_platform.user)
    part.expected_result = "Every officer on a performance contract"
    part.save()
    anchor = url("strategy", world) + f"#part-{part.id}"
    with django_capture_on_commit_callbacks(execute=True):
        r = fac.post(url("part_remind", world, part.id), follow=True)
    assert r.redirect_chain == [(anchor, 302)]
    assert f'id="part-{part.id}"' in r.content.decode()
    name = str(world.member_platform.user)
    assert f"A reminder is on its way to {name}." in [str(m) for m in r.context["messages"]]
    assert len(mailoutbox) == 1
    me = client(world.member_platform.user)
    r = me.post(url("part_confirm", world, part.id))
    assert r.status_code == 302 and r["Location"] == anchor
