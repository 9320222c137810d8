"""The reference data peerlearn ships with and loads on ``migrate``.

Countries come from ISO 3166-1 (pycountry) with UN M49 regions (``data/m49_regions.csv``);
languages from ISO 639-1 (pycountry); SDG targets from ``data/sdg_targets.json`` (open-sdg,
MIT); themes from the reform areas the EIP/NSGI paper names.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pycountry
from django.utils.translation import gettext_noop

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class ThemeSeed:
    slug: str
    name: str
    description: str
    sdg_targets: tuple[str, ...]


THEMES: tuple[ThemeSeed, ...] = (
    ThemeSeed(
        "revenue-pfm",
        gettext_noop("Revenue and public financial management"),
        gettext_noop(
            "Tax and non-tax revenue administration, budgeting, expenditure control and "
            "domestic resource mobilisation."
        ),
        ("16.6", "17.1"),
    ),
    ThemeSeed(
        "civil-service-hr",
        gettext_noop("Civil service and HR reform"),
        gettext_noop(
            "Human resource management, competency frameworks, performance management, "
            "skills and organisational culture in the civil service."
        ),
        ("16.6", "16.7"),
    ),
    ThemeSeed(
        "parliaments-evidence",
        gettext_noop("Parliaments and evidence"),
        gettext_noop(
            "Parliamentary research services, collaboration between members and staff, "
            "and evidence-informed policymaking."
        ),
        ("16.6", "16.7"),
    ),
    ThemeSeed(
        "service-delivery",
        gettext_noop("Public service delivery"),
        gettext_noop(
            "Citizen-centred services, one-stop shops, service standards and satisfaction."
        ),
        ("16.6",),
    ),
    ThemeSeed(
        "climate-finance",
        gettext_noop("Climate finance integrity"),
        gettext_noop(
            "Accreditation with climate funds, fiduciary standards, integrity and "
            "anti-corruption safeguards for climate money."
        ),
        ("16.5", "16.6"),
    ),
    ThemeSeed(
        "open-government",
        gettext_noop("Open government"),
        gettext_noop(
            "Transparency, access to information, citizen participation, action plans and "
            "independent reporting."
        ),
        ("16.6", "16.7", "16.10"),
    ),
    ThemeSeed(
        "decentralisation",
        gettext_noop("Decentralisation and local government"),
        gettext_noop(
            "Fiscal and administrative decentralisation, county and municipal revenue, "
            "intergovernmental relations."
        ),
        ("16.6", "16.7", "17.1"),
    ),
    ThemeSeed(
        "procurement",
        gettext_noop("Public procurement"),
        gettext_noop("Procurement rules, e-procurement, contract management and oversight."),
        ("16.5", "16.6"),
    ),
    ThemeSeed(
        "anti-corruption",
        gettext_noop("Integrity and anti-corruption"),
        gettext_noop("Codes of conduct, integrity systems, corruption prevention and audit."),
        ("16.4", "16.5"),
    ),
    ThemeSeed(
        "centre-of-government",
        gettext_noop("Centre of government and coordination"),
        gettext_noop(
            "Delivery and monitoring units, cabinet offices, cross-government coordination "
            "and strategic planning."
        ),
        ("16.6", "16.7"),
    ),
    ThemeSeed(
        "digital-government",
        gettext_noop("Digital government and automation"),
        gettext_noop(
            "Automating collection, records and reporting; shared digital services and data."
        ),
        ("16.6", "16.10"),
    ),
    ThemeSeed(
        "statistics-data",
        gettext_noop("Statistics and data"),
        gettext_noop("Official statistics, administrative data and open data."),
        ("16.6", "16.10"),
    ),
    ThemeSeed(
        "justice-rule-of-law",
        gettext_noop("Justice and rule of law"),
        gettext_noop("Courts, legal identity, access to justice and regulatory reform."),
        ("16.3", "16.9"),
    ),
    ThemeSeed(
        "gender-inclusion",
        gettext_noop("Gender and inclusion"),
        gettext_noop(
            "Gender mainstreaming, non-discrimination and inclusive decision-making in "
            "public institutions."
        ),
        ("16.7", "16.b"),
    ),
    ThemeSeed(
        "extractives",
        gettext_noop("Extractive industries governance"),
        gettext_noop("Licensing, regulation and revenue from mining, oil and gas."),
        ("16.6", "17.1"),
    ),
)


def iso_countries() -> list[dict[str, str]]:
    """Every ISO 3166-1 country with its M49 region and sub-region."""
    with (DATA_DIR / "m49_regions.csv").open(newline="", encoding="utf-8") as f:
        regions = {row["alpha_2"]: row for row in csv.DictReader(f)}
    countries = []
    for c in pycountry.countries:
        region = regions.get(c.alpha_2)
        if region is None:
            continue
        countries.append(
            {
                "code": c.alpha_2,
                "alpha_3": c.alpha_3,
                "name": getattr(c, "common_name", None) or c.name,
                "region": region["region_m49"],
                "subregion": region["subregion_m49"],
            }
        )
    return countries


def iso_languages() -> list[dict[str, str]]:
    """Every language that has an ISO 639-1 (two-letter) code."""
    return [
        {"code": lang.alpha_2, "name": lang.name}
        for lang in pycountry.languages
        if hasattr(lang, "alpha_2")
    ]


def sdg_targets() -> list[dict[str, Any]]:
    data = json.loads((DATA_DIR / "sdg_targets.json").read_text(encoding="utf-8"))
    return list(data["targets"])


def load_reference_data(
    *,
    Country: Any,
    Language: Any,
    SDGTarget: Any,
    Theme: Any,
) -> None:
    """Create or update all reference rows. Takes model classes so migrations can pass
    their historical models. Idempotent."""
    for row in iso_countries():
        Country.objects.update_or_create(code=row["code"], defaults=row)
    for row in iso_languages():
        Language.objects.update_or_create(code=row["code"], defaults={"name": row["name"]})
    for position, target in enumerate(sdg_targets()):
        titles = dict(target["title"].items())
        SDGTarget.objects.update_or_create(
            code=target["code"],
            defaults={"goal": int(target["goal"]), "titles": titles, "position": position},
        )
    for seed in THEMES:
        theme, _ = Theme.objects.update_or_create(
            slug=seed.slug, defaults={"name": seed.name, "description": seed.description}
        )
        theme.sdg_targets.set(SDGTarget.objects.filter(code__in=seed.sdg_targets))


def ensure_reference_data() -> None:
    """Load the reference rows if the tables are empty, e.g. after a test database flush."""
    from peerlearn.core.models import Country, Language, SDGTarget, Theme

    if not Country.objects.exists():
        load_reference_data(Country=Country, Language=Language, SDGTarget=SDGTarget, Theme=Theme)
