"""The paper's eight illustrative initiatives, loaded into a new platform's registry."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from peerlearn.access.visibility import Visibility
from peerlearn.initiatives.annex import INITIATIVES, SDG_TARGETS
from peerlearn.initiatives.models import Initiative, InitiativeStatus
from peerlearn.library.models import Case
from peerlearn.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_the_annex_initiatives_load_once_with_their_agencies_and_targets() -> None:
    out = StringIO()
    call_command("load_annex_initiatives", stdout=out)
    assert "8 initiative(s) added, 0 already in the registry." in out.getvalue()
    loaded = Initiative.objects.filter(slug__in=[i.slug for i in INITIATIVES])
    assert loaded.count() == len(INITIATIVES) == 8
    assert set(loaded.values_list("visibility", flat=True)) == {Visibility.PUBLIC}
    assert set(loaded.values_list("status", flat=True)) == {InitiativeStatus.PUBLISHED}
    ogp = loaded.get(slug="open-government-partnership")
    assert sorted(t.code for t in ogp.sdg_targets.all()) == sorted(
        SDG_TARGETS["open-government-partnership"]
    )
    kyrgyzstan = loaded.get(slug="better-government-kyrgyzstan")
    assert [o.acronym for o in kyrgyzstan.implementers.all()] == ["NSGI"]
    assert [o.acronym for o in kyrgyzstan.funders.all()] == ["DFID"]
    assert sorted(c.code for c in kyrgyzstan.countries.all()) == ["GB", "KG"]
    # Each is linked to its case study in the library (loaded on migrate).
    assert Case.objects.get(key="ella").initiative == loaded.get(slug="ella")
    agencies = Organisation.objects.count()
    # Run again, it adds nothing and lists no agency twice.
    out = StringIO()
    call_command("load_annex_initiatives", stdout=out)
    assert "0 initiative(s) added, 8 already in the registry." in out.getvalue()
    assert Initiative.objects.count() == 8
    assert Organisation.objects.count() == agencies


def test_an_entry_already_named_so_is_kept_as_it_is() -> None:
    from peerlearn.initiatives.annex import agency_get_or_create
    from peerlearn.initiatives.services import initiative_create

    mine = initiative_create(
        name="ELLA",
        type="II",
        summary="Our own description of ELLA.",
        themes=["open-government"],
        implementers=[agency_get_or_create("PALA")],
    )
    call_command("load_annex_initiatives", stdout=StringIO())
    mine.refresh_from_db()
    assert mine.summary == "Our own description of ELLA."
    assert Initiative.objects.filter(name__iexact="ELLA").count() == 1
    assert Initiative.objects.count() == 8
