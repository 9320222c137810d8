"""JSON shapes of reference data, and the shapes every endpoint shares (errors, references).

Output schemas name every field they expose: nothing reaches a client by accident.
"""

from typing import Any

from ninja import Field, Schema

from peerlearn.core.models import Country, Language, SDGTarget, Theme


class ErrorOut(Schema):
    """A refusal: 401 (not signed in), 403 (not allowed), 404 (no such thing, or not yours
    to see)."""

    detail: str


class FieldErrorOut(Schema):
    loc: list[str | int] = Field(
        description='Where the problem is, e.g. ["body", "languages"] or ["query", "country"].'
    )
    msg: str = Field(description="What is wrong and how to fix it.")
    type: str = Field(description="A stable code for the kind of error.")


class ValidationErrorOut(Schema):
    """422: the input was understood but is not valid. One entry per problem."""

    detail: list[FieldErrorOut]


class CountryOut(Schema):
    code: str = Field(description="ISO 3166-1 alpha-2.")
    alpha_3: str
    name: str = Field(description="In the language of the request (Accept-Language).")
    region: str = Field(description="UN M49 world region code, e.g. 002 (Africa).")
    region_name: str
    subregion: str = Field(description="UN M49 sub-region code, e.g. 014 (Eastern Africa).")
    subregion_name: str

    @staticmethod
    def resolve_name(obj: Country) -> str:
        return obj.display_name


class LanguageOut(Schema):
    code: str = Field(description="ISO 639-1.")
    name: str

    @staticmethod
    def resolve_name(obj: Language) -> str:
        return obj.display_name


class SDGTargetOut(Schema):
    code: str = Field(description="e.g. 16.6")
    goal: int
    title: str = Field(description="In the language of the request, English if untranslated.")

    @staticmethod
    def resolve_title(obj: SDGTarget) -> str:
        return obj.title


class ThemeRef(Schema):
    slug: str
    name: str

    @staticmethod
    def resolve_name(obj: Theme) -> str:
        return obj.display_name


class ThemeOut(ThemeRef):
    description: str
    sdg_targets: list[SDGTargetOut]

    @staticmethod
    def resolve_description(obj: Theme) -> str:
        return obj.display_description

    @staticmethod
    def resolve_sdg_targets(obj: Theme) -> list[Any]:
        return list(obj.sdg_targets.all())


class OrganisationRef(Schema):
    """An organisation as other resources point at it."""

    id: int
    name: str
    acronym: str
    type: str
    country: str | None = Field(description="ISO 3166-1 alpha-2; null for international ones.")

    @staticmethod
    def resolve_country(obj: Any) -> str | None:
        return obj.country_id  # type: ignore[no-any-return]


class AllianceRef(Schema):
    """A learning alliance as other resources point at it."""

    slug: str
    name: str
