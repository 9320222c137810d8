"""Near-duplicate organisations: prevented at creation, and merged with every reference."""

from __future__ import annotations

from io import StringIO
from types import SimpleNamespace

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory
from django.urls import reverse

from peerlearn.activities.models import ActionPlan
from peerlearn.alliances.models import AllianceOrganisation
from peerlearn.alliances.services import alliance_organisation_join
from peerlearn.audit.models import AuditEvent
from peerlearn.core.models import Country
from peerlearn.initiatives.services import initiative_create
from peerlearn.organisations.models import Organisation, OrganisationType
from peerlearn.organisations.services import (
    CloseOrganisations,
    organisation_create,
    organisation_get_or_create,
    organisation_merge,
)
from peerlearn.organisations.similarity import close_names, near_duplicate_pairs, normalised_name

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("a", "b", "close"),
    [
        ("Ministry of Finance", "Finance Ministry", True),
        ("Ministry of Finance", "The Ministry of Finance.", True),
        ("Ministère des Finances", "Ministry of Finance", True),
        ("Nakuru County", "Nakru County", True),
        ("Kenya Revenue Authority", "Revenue Authority", True),
        ("Ministry of Finance", "Ministry of Health", False),
        ("County Government of Kiambu", "County Government of Kisumu", False),
        ("Tshwane Metropolitan Municipality", "eThekwini Metropolitan Municipality", False),
    ],
)
def test_close_names(a: str, b: str, close: bool) -> None:
    assert close_names(a, b) is close
    assert close_names(b, a) is close


def test_normalised_name_folds_case_accents_punctuation_and_common_words() -> None:
    assert normalised_name("  Le Ministère de l'Économie, et des FINANCES ") == "economie finances"


def test_near_duplicates_are_found_within_a_country_only(world: SimpleNamespace) -> None:
    ke, fr = Country.objects.get(code="KE"), Country.objects.get(code="FR")
    a = organisation_create(name="Ministry of Finance", type="ministry", country=ke)
    b = organisation_create(name="Finance Ministry", type="ministry", country=ke)
    # The world's "Ministère des Finances" is in France: the same body in English.
    c = organisation_create(name="Ministry of Finance", type="ministry", country=fr)
    organisation_create(name="Ministry of Health", type="ministry", country=ke)
    pairs = near_duplicate_pairs(Organisation.objects.all())
    assert sorted(sorted((x.id, y.id)) for x, y in pairs) == sorted(
        [sorted((a.id, b.id)), sorted((world.ministry.id, c.id))]
    )


def test_creating_a_close_name_offers_the_existing_one_first(world: SimpleNamespace) -> None:
    ke = Country.objects.get(code="KE")
    with pytest.raises(CloseOrganisations) as e:
        organisation_get_or_create(name="Nakuru county.", type="local_government", country=ke)
    # An exact match (case aside) is simply reused.
    assert (
        organisation_get_or_create(name="nakuru county", type="local_government", country=ke)
        == world.county_a
    )
    with pytest.raises(CloseOrganisations) as e:
        organisation_get_or_create(name="Nakru County", type="local_government", country=ke)
    assert e.value.organisations == [world.county_a]
    created = organisation_get_or_create(
        name="Nakru County", type="local_government", country=ke, create_anyway=True
    )
    assert created.pk != world.county_a.pk


def test_profile_form_offers_close_organisations_then_uses_the_chosen_one(
    world: SimpleNamespace,
) -> None:
    from peerlearn.conftest import make_user

    user = make_user("newcomer")
    client = Client()
    client.force_login(user)
    data = {
        "name": "New Comer",
        "position": "Officer",
        "seniority": 2,
        "reform_stage": 1,
        "languages": ["en"],
        "visibility": "platform",
        "accepts_contact": "on",
        "new_organisation_name": "Nakru County",
        "new_organisation_type": OrganisationType.LOCAL_GOVERNMENT,
        "new_organisation_country": "KE",
    }
    url = reverse("peers:profile_edit")
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Is it one of these?" in html
    assert f'name="use_organisation" value="{world.county_a.id}"' in html
    assert not Organisation.objects.filter(name="Nakru County").exists()
    response = client.post(url, {**data, "use_organisation": world.county_a.id})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.organisation == world.county_a
    assert not Organisation.objects.filter(name="Nakru County").exists()


def test_create_anyway_adds_it(world: SimpleNamespace) -> None:
    from peerlearn.conftest import make_user

    user = make_user("newcomer")
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("peers:profile_edit"),
        {
            "name": "New Comer",
            "position": "Officer",
            "seniority": 2,
            "reform_stage": 1,
            "languages": ["en"],
            "visibility": "platform",
            "new_organisation_name": "Nakru County",
            "new_organisation_type": OrganisationType.LOCAL_GOVERNMENT,
            "new_organisation_country": "KE",
            "create_anyway": "on",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.organisation.name == "Nakru County"


def _every_reference(organisation: Organisation) -> dict[str, int]:
    """How many rows point to ``organisation``, through every relation the model has."""
    found = {}
    for relation in Organisation._meta.related_objects:
        if relation.many_to_many:
            through = relation.through
            name = relation.field.m2m_reverse_field_name()
            found[relation.name] = through.objects.filter(**{name: organisation}).count()
        else:
            found[relation.name] = relation.related_model._base_manager.filter(
                **{relation.field.name: organisation}
            ).count()
    return found


def test_merge_moves_every_reference(world: SimpleNamespace) -> None:
    ke = Country.objects.get(code="KE")
    dup = organisation_create(
        name="Nakuru County Government", type="local_government", country=ke, acronym="NCG"
    )
    # People, an alliance's member organisation (also held by the kept one: a duplicate row),
    # an alliance's funders, an initiative's implementers and funders, an action plan.
    world.member_alliance.user.organisation = dup
    world.member_alliance.user.save(update_fields=["organisation"])
    if not world.inner.member_organisations.filter(organisation=world.county_a).exists():
        alliance_organisation_join(alliance=world.inner, organisation=world.county_a, by=None)
    alliance_organisation_join(alliance=world.inner, organisation=dup, by=None)
    alliance_organisation_join(alliance=world.platform_alliance, organisation=dup, by=None)
    world.inner.funders.add(dup)
    initiative = initiative_create(
        name="County revenue exchange",
        type="II",
        summary="Counties learn from counties.",
        themes=["revenue-pfm"],
        implementers=[dup, world.county_a],
        funders=[dup],
    )
    before = _every_reference(dup)
    assert sum(before.values()) >= 6
    moved = organisation_merge(keep=world.county_a, duplicates=[dup], by=world.admin)
    assert not Organisation.objects.filter(pk=dup.pk).exists()
    assert _every_reference(world.county_a)["users"] >= 1
    world.member_alliance.user.refresh_from_db()
    assert world.member_alliance.user.organisation == world.county_a
    assert (
        AllianceOrganisation.objects.filter(
            alliance=world.inner, organisation=world.county_a
        ).count()
        == 1
    )
    assert AllianceOrganisation.objects.filter(
        alliance=world.platform_alliance, organisation=world.county_a
    ).exists()
    assert world.county_a in world.inner.funders.all()
    assert world.county_a in initiative.implementers.all()
    assert world.county_a in initiative.funders.all()
    world.county_a.refresh_from_db()
    assert world.county_a.acronym == "NCG"  # filled from the duplicate
    assert moved["accounts.User"] == 1
    event = AuditEvent.objects.get(object_type="organisations.organisation")
    assert event.detail["merged"] == [dup.pk]
    assert ActionPlan.objects.filter(organisation_id=dup.pk).count() == 0


def test_every_relation_is_covered() -> None:
    """A relation added to Organisation later is moved too: the merge reads the metadata.
    This lists today's relations so that a new one is noticed by whoever adds it."""
    names = {
        f"{r.related_model._meta.label}.{r.field.name}" for r in Organisation._meta.related_objects
    }
    assert {
        "accounts.User.organisation",
        "initiatives.Initiative.implementers",
        "initiatives.Initiative.funders",
        "alliances.LearningAlliance.funders",
        "alliances.AllianceOrganisation.organisation",
    } <= names


def test_merge_refuses_itself_and_the_command_works(world: SimpleNamespace) -> None:
    with pytest.raises(ValidationError):
        organisation_merge(keep=world.county_a, duplicates=[world.county_a], by=None)
    ke = Country.objects.get(code="KE")
    dup = organisation_create(name="Kisumu County Govt", type="local_government", country=ke)
    out = StringIO()
    call_command("merge_organisations", str(world.county_b.pk), str(dup.pk), stdout=out)
    assert "Merged 1 organisation" in out.getvalue()
    assert not Organisation.objects.filter(pk=dup.pk).exists()
    with pytest.raises(CommandError):
        call_command("merge_organisations", str(world.county_b.pk), "999999", stdout=out)


def test_admin_action_merges_into_the_oldest(world: SimpleNamespace) -> None:
    ke = Country.objects.get(code="KE")
    dup = organisation_create(name="Nakuru County Govt", type="local_government", country=ke)
    admin = site._registry[Organisation]
    request = RequestFactory().post("/admin/")
    request.user = world.admin
    request._messages = type("M", (), {"add": lambda *a, **k: None})()  # type: ignore[attr-defined]
    admin.merge_organisations(
        request, Organisation.objects.filter(pk__in=[dup.pk, world.county_a.pk])
    )
    assert not Organisation.objects.filter(pk=dup.pk).exists()
    assert Organisation.objects.filter(pk=world.county_a.pk).exists()
