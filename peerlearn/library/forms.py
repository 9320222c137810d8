"""Forms of the case library: its filters, a case, a resource and a reviewer's decision."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from peerlearn.access.base import Viewer
from peerlearn.access.initiatives import initiatives_visible_to
from peerlearn.access.library import alliances_attachable_by
from peerlearn.access.visibility import Visibility
from peerlearn.core.forms import form_add_problems
from peerlearn.core.models import Country, Theme
from peerlearn.core.pickers import COUNTRIES, PickerMultipleField, folded
from peerlearn.initiatives.models import Initiative, InitiativeStatus
from peerlearn.library.models import Case, Resource, ResourceType
from peerlearn.library.selectors import CASE, filter_choices, published_cases
from peerlearn.library.services import resource_source_problems
from peerlearn.library.uploads import allowed_list


def _viewer(user: Viewer | None) -> Viewer:
    """A form made without a user (a blank one, as in tests) offers what anyone may see."""
    return AnonymousUser() if user is None else user


TYPE_CHOICES = [("", _("Any type")), (CASE, _("Case studies")), *ResourceType.choices]


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=100)
    type = forms.ChoiceField(label=_("Type"), choices=TYPE_CHOICES, required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    tag = forms.ChoiceField(label=_("Tag"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args: Any, user: Viewer | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = filter_choices(_viewer(user))
        self.fields["theme"].choices = [  # type: ignore[attr-defined]
            ("", _("Any theme")),
            *sorted(
                ((t.slug, t.display_name) for t in choices["themes"]), key=lambda kv: folded(kv[1])
            ),
        ]
        self.fields["tag"].choices = [  # type: ignore[attr-defined]
            ("", _("Any tag")),
            *((t.name, t.name) for t in choices["tags"]),
        ]
        self.fields["country"].choices = [  # type: ignore[attr-defined]
            ("", _("Any country")),
            *sorted(
                ((c.code, c.display_name) for c in choices["countries"]),
                key=lambda kv: folded(kv[1]),
            ),
        ]


def _visibility_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Who sees it"),
        choices=Visibility.choices,
        initial=Visibility.PUBLIC,
        widget=forms.RadioSelect,
        help_text=_("An item of a learning alliance stays inside it: choose “Alliance”."),
    )


def _themes_field() -> forms.ModelMultipleChoiceField[Theme]:
    return forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def _tags_field() -> forms.CharField:
    return forms.CharField(
        label=_("Tags"),
        max_length=500,
        required=False,
        help_text=_("Separated by commas, e.g. “one-stop shop, handbook”."),
    )


class _ItemForm(forms.Form):
    def __init__(self, *args: Any, user: Viewer | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["alliance"].queryset = alliances_attachable_by(_viewer(user)).order_by("name")  # type: ignore[attr-defined]


class CaseForm(_ItemForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Two or three sentences: who learned what from whom, and what changed."),
    )
    body = forms.CharField(
        label=_("The case"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Markdown: ## headings, - lists, **bold**, [links](https://…)."),
    )
    lessons = forms.CharField(
        label=_("Lessons"),
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One lesson per line, most important first."),
    )
    themes = _themes_field()
    countries = PickerMultipleField(
        Country.objects.all(),
        kind=COUNTRIES,
        label=_("Countries"),
        to_field_name="code",
        required=False,
    )
    tags = _tags_field()
    source = forms.CharField(label=_("Source"), max_length=300, required=False)
    link = forms.URLField(label=_("Link"), max_length=500, required=False, assume_scheme="https")
    initiative = forms.ModelChoiceField(
        label=_("Initiative"),
        queryset=initiatives_visible_to(AnonymousUser()).none(),
        required=False,
        empty_label=_("No initiative"),
        to_field_name="slug",
    )
    alliance = forms.ModelChoiceField(
        label=_("Learning alliance"),
        queryset=alliances_attachable_by(AnonymousUser()),
        required=False,
        empty_label=_("No alliance"),
        to_field_name="slug",
    )
    visibility = _visibility_field()

    def __init__(self, *args: Any, user: Viewer | None = None, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        initiative = cast("forms.ModelChoiceField[Initiative]", self.fields["initiative"])
        initiative.queryset = (
            initiatives_visible_to(_viewer(user))
            .filter(status=InitiativeStatus.PUBLISHED)
            .order_by("name")
        )

    @staticmethod
    def initial_for(case: Case) -> dict[str, Any]:
        return {
            "title": case.title,
            "summary": case.summary,
            "body": case.body,
            "lessons": "\n".join(lesson.text for lesson in case.lessons.all()),
            "themes": list(case.themes.all()),
            "countries": list(case.countries.all()),
            "tags": ", ".join(t.name for t in case.tags.all()),
            "source": case.source,
            "link": case.link,
            "initiative": case.initiative.slug if case.initiative else None,
            "alliance": case.alliance.slug if case.alliance else None,
            "visibility": case.visibility,
        }


class ResourceForm(_ItemForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    type = forms.ChoiceField(label=_("Type"), choices=ResourceType.choices)
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("One of: %(types)s.") % {"types": allowed_list()},
        # Django's own "The submitted file is empty." names no fix; uploads.py's does.
        error_messages={"empty": _("This file is empty. Choose the file again.")},
    )
    url = forms.URLField(
        label=_("Or its address"), max_length=500, required=False, assume_scheme="https"
    )
    themes = _themes_field()
    tags = _tags_field()
    case = forms.ModelChoiceField(
        label=_("Case study"),
        queryset=published_cases(AnonymousUser()),
        required=False,
        empty_label=_("No case study"),
    )
    alliance = forms.ModelChoiceField(
        label=_("Learning alliance"),
        queryset=alliances_attachable_by(AnonymousUser()),
        required=False,
        empty_label=_("No alliance"),
        to_field_name="slug",
    )
    visibility = _visibility_field()

    def __init__(self, *args: Any, user: Viewer | None = None, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["case"].queryset = published_cases(_viewer(user)).order_by("title")  # type: ignore[attr-defined]
        self.fields["file"].help_text = _("One of: %(types)s; at most %(mb)s MB.") % {
            "types": allowed_list(),
            "mb": _max_mb(),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not {"type", "url", "file"} & set(self.errors):
            # Where the resource is, as its creation would refuse it, beside the fields'
            # own errors. A resource being changed (initial values) may keep its file.
            problems = resource_source_problems(
                type=data.get("type") or "",
                url=(data.get("url") or "").strip(),
                upload=data.get("file"),
                has_file=bool(self.initial),
            )
            form_add_problems(self, problems)
        return data

    def file_to_choose_again(self) -> str:
        """The name of a file sent with a form refused for another field's sake, or "".
        A browser cannot keep a chosen file on the page sent back: the field says so,
        or the next save would ask for a file the person believes they gave."""
        upload = self.files.get("file") if self.is_bound else None
        if upload is None or not self.errors or "file" in self.errors:
            return ""
        name = str(upload.name)
        help_text = _(
            "You chose “%(name)s”: choose it again before sending, as a page sent back "
            "with an error cannot keep a file. %(rules)s"
        ) % {"name": name, "rules": self.fields["file"].help_text}
        # The bound field copied the help text when the form was cleaned.
        self.fields["file"].help_text = help_text
        self["file"].help_text = help_text
        return name

    @staticmethod
    def initial_for(resource: Resource) -> dict[str, Any]:
        return {
            "title": resource.title,
            "type": resource.type,
            "description": resource.description,
            "url": resource.url,
            "themes": list(resource.themes.all()),
            "tags": ", ".join(t.name for t in resource.tags.all()),
            "case": resource.case_id,
            "alliance": resource.alliance.slug if resource.alliance else None,
            "visibility": resource.visibility,
        }


def _max_mb() -> int:
    from django.conf import settings

    return int(settings.PEERLEARN_LIBRARY_MAX_UPLOAD_MB)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("publish", _("Publish")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Why it is declined"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The author reads this: say what is missing or wrong."),
    )
