"""Reference data loaded by the migrations."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from peerlearn.core.models import Country, Language, SDGTarget, Theme
from peerlearn.core.reference import THEMES, load_reference_data
from peerlearn.core.selectors import country_get, language_list_by_codes

pytestmark = pytest.mark.django_db


def test_countries_languages_targets_and_themes_are_loaded() -> None:
    assert Country.objects.count() == 249
    assert Language.objects.count() >= 180
    assert Theme.objects.count() == len(THEMES)
    assert SDGTarget.objects.filter(goal=16).count() == 12
    kenya = Country.objects.get(code="KE")
    assert (kenya.alpha_3, kenya.region, kenya.subregion) == ("KEN", "002", "014")
    assert kenya.region_name == "Africa" and kenya.subregion_name == "Eastern Africa"


def test_loading_again_changes_nothing() -> None:
    load_reference_data(Country=Country, Language=Language, SDGTarget=SDGTarget, Theme=Theme)
    assert Country.objects.count() == 249
    assert Theme.objects.get(slug="revenue-pfm").sdg_targets.count() == 2


def test_names_follow_the_active_language() -> None:
    kenya, french = Country.objects.get(code="DE"), Language.objects.get(code="fr")
    target = SDGTarget.objects.get(code="16.6")
    with translation.override("fr"):
        assert kenya.display_name == "Allemagne"
        assert french.display_name == "français"
        assert target.title.startswith("Mettre en place")
    with translation.override("en"):
        assert kenya.display_name == "Germany"
        assert target.title.startswith("Develop effective")


@pytest.mark.parametrize("code", ["XX", "KEN", "", "k"])
def test_unknown_country_codes_say_what_to_use(code: str) -> None:
    with pytest.raises(ValidationError) as e:
        country_get(code=code)
    assert "ISO 3166-1 alpha-2" in e.value.message_dict["country"][0]


def test_country_codes_are_normalised() -> None:
    assert country_get(code=" ke ").code == "KE"


def test_language_codes_are_normalised_and_deduplicated() -> None:
    assert [lang.code for lang in language_list_by_codes(codes=["EN", "fr", "en"])] == ["en", "fr"]
    with pytest.raises(ValidationError) as e:
        language_list_by_codes(codes=["english"])
    assert "ISO 639-1" in e.value.message_dict["languages"][0]
