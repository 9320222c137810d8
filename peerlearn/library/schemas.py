"""JSON shapes of the case library."""

from typing import Annotated, Any, Literal

from django.urls import reverse
from ninja import Field, Schema
from pydantic import ConfigDict

from peerlearn.core.api import CountryFilter, Id, SearchText, Slug, ThemeFilter
from peerlearn.core.schemas import AllianceRef, ThemeRef
from peerlearn.library.models import ResourceType

ThemeSlug = Annotated[str, Field(min_length=1, max_length=60)]
CountryCode = Annotated[str, Field(min_length=2, max_length=2)]
TagName = Annotated[str, Field(min_length=1, max_length=40)]
LessonText = Annotated[str, Field(min_length=1, max_length=400)]
Level = Literal["private", "alliance", "platform", "public"]


def _alliance(obj: Any) -> Any:
    # Set by the selector only where the reader may see the alliance.
    return getattr(obj, "shown_alliance", None)


class CaseOut(Schema):
    id: int
    title: str
    summary: str
    themes: list[ThemeRef]
    countries: list[str] = Field(description="ISO 3166-1 alpha-2 codes.")
    tags: list[str]
    visibility: str
    status: str = Field(description="published, proposed (waiting for review) or declined.")
    url: str = Field(description="The case's page on the website.")

    @staticmethod
    def resolve_countries(obj: Any) -> list[str]:
        return [c.code for c in obj.countries.all()]

    @staticmethod
    def resolve_tags(obj: Any) -> list[str]:
        return [t.name for t in obj.tags.all()]

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return reverse("library:case", args=[obj.id])


class CaseDetailOut(CaseOut):
    body: str = Field(description="Markdown.")
    lessons: list[str] = Field(description="In order, most important first.")
    source: str
    link: str
    initiative: str | None = Field(description="The initiative's slug, where you may see it.")
    alliance: AllianceRef | None
    review_note: str

    @staticmethod
    def resolve_lessons(obj: Any) -> list[str]:
        return [lesson.text for lesson in obj.lessons.all()]

    @staticmethod
    def resolve_initiative(obj: Any) -> str | None:
        shown = getattr(obj, "shown_initiative", None)
        return shown.slug if shown else None

    @staticmethod
    def resolve_alliance(obj: Any) -> Any:
        return _alliance(obj)


class CaseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    summary: str = Field(min_length=1, max_length=500)
    body: str = Field("", max_length=20000, description="Markdown.")
    lessons: list[LessonText] = Field([], max_length=20, description="Most important first.")
    themes: list[ThemeSlug] = Field([], max_length=20, description="Theme slugs.")
    countries: list[CountryCode] = Field([], max_length=60, description="ISO alpha-2 codes.")
    tags: list[TagName] = Field([], max_length=10)
    source: str = Field("", max_length=300)
    link: str = Field("", max_length=500, description="An address to read more.")
    initiative: Slug | None = Field(None, description="Slug of a published initiative.")
    alliance: Slug | None = Field(
        None, description="Slug of an alliance you belong to; then visibility alliance or private."
    )
    visibility: Level = "public"


class ResourceOut(Schema):
    id: int
    title: str
    type: ResourceType
    type_label: str
    description: str
    themes: list[ThemeRef]
    tags: list[str]
    link: str = Field(description="The resource's own address, if it is a link.")
    has_file: bool
    file_name: str
    file_size: int | None = Field(description="In bytes.")
    download_url: str | None = Field(description="The file, for a signed-in browser session.")
    case: int | None = Field(description="Id of its case study, where you may see it.")
    visibility: str
    status: str = Field(description="published, proposed (waiting for review) or declined.")

    @staticmethod
    def resolve_type_label(obj: Any) -> str:
        return str(obj.get_type_display())

    @staticmethod
    def resolve_tags(obj: Any) -> list[str]:
        return [t.name for t in obj.tags.all()]

    @staticmethod
    def resolve_link(obj: Any) -> str:
        return str(obj.url)

    @staticmethod
    def resolve_has_file(obj: Any) -> bool:
        return bool(obj.file)

    @staticmethod
    def resolve_download_url(obj: Any) -> str | None:
        return reverse("library:download", args=[obj.id]) if obj.file else None

    @staticmethod
    def resolve_case(obj: Any) -> int | None:
        shown = getattr(obj, "shown_case", None)
        return shown.id if shown else None


class ResourceDetailOut(ResourceOut):
    alliance: AllianceRef | None
    review_note: str

    @staticmethod
    def resolve_alliance(obj: Any) -> Any:
        return _alliance(obj)


class ResourceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    type: ResourceType
    description: str = Field("", max_length=5000)
    link: str = Field(
        "", max_length=500, description="Its address; or upload a file with …/{id}/file."
    )
    themes: list[ThemeSlug] = Field([], max_length=20, description="Theme slugs.")
    tags: list[TagName] = Field([], max_length=10)
    case: Id | None = Field(None, description="Id of a published case study.")
    alliance: Slug | None = Field(
        None, description="Slug of an alliance you belong to; then visibility alliance or private."
    )
    visibility: Level = "public"


class LibraryFiltersIn(Schema):
    q: SearchText = Field("", description="Words in the title, summary or lessons.")
    theme: ThemeFilter = Field("", description="Theme slug.")
    tag: str = Field("", max_length=40, description="Tag name.")
    country: CountryFilter = Field("", description="ISO 3166-1 alpha-2 code.")


class ResourceFiltersIn(LibraryFiltersIn):
    type: ResourceType | None = Field(None, description="Resource type.")


class ReviewIn(Schema):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["publish", "decline"]
    note: str = Field("", max_length=2000, description="Why it is declined (required then).")
