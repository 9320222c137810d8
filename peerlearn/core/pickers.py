"""Pickers that scale: choosing among hundreds of languages, countries, organisations or
peers with a text field and server-side suggestions, with or without JavaScript.

A picker renders the chosen values as ticked checkboxes (radio buttons for a single choice)
and a text field. Without JavaScript, the text is resolved when the form is submitted: a
text that names exactly one item chooses it; one that matches several leaves the form
invalid and shows the matches to tick. With htmx, the text field asks the app's suggestions
view (a ``GET`` returning a short list of the same checkboxes) as one types.

Each kind of item is a :class:`PickerKind` declared by the app that owns the data (languages
and countries in ``core``, organisations in ``organisations``, peers in ``peers``), with its
suggestions view. The field's queryset is what the person may choose from: a form restricts
it through the access layer (a peer picker lists only peers the user may see), and the
suggestions view reads through the same rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

#: How many suggestions a picker shows at once.
SUGGESTIONS = 8
_FIELD_NAME = re.compile(r"^[A-Za-z0-9_-]{1,100}$")


@dataclass(frozen=True)
class PickerKind:
    """A kind of item a picker chooses: how a text finds items, and where suggestions are."""

    #: The URL name of the app's suggestions view.
    suggest_url: str
    #: The items among ``queryset`` matching a text, best first.
    search: Callable[[QuerySet[Any], str], QuerySet[Any]]
    #: Whether an item is exactly what the text names (its name or code).
    exact: Callable[[Any, str], bool]
    #: What the text field says, e.g. "Find a language".
    prompt: str | Promise
    #: How an item reads in the list (its ``str`` by default).
    describe: Callable[[Any], str] = str


@dataclass(frozen=True)
class Picked:
    """What a picker posted: the ticked values and the text typed, not yet resolved."""

    values: Sequence[str] = field(default_factory=tuple)
    query: str = ""
    #: The text whose matches the page listed to choose from (without JavaScript): a
    #: choice posted with the same text answers it.
    asked: str = ""


def _valid_keys(queryset: QuerySet[Any], key: str, keys: Iterable[str]) -> list[str]:
    """The keys that can be looked up (a posted "abc" for a numeric id cannot)."""
    target = queryset.model._meta.pk if key == "pk" else queryset.model._meta.get_field(key)
    valid = []
    for k in keys:
        try:
            target.to_python(k)
        except (ValidationError, ValueError, TypeError):
            continue
        valid.append(k)
    return valid


class PickerWidget(forms.Widget):
    """Ticked values and a text field; see the module's description."""

    template_name = "core/widgets/picker.html"

    def __init__(self, kind: PickerKind, *, multiple: bool, attrs: Any = None) -> None:
        super().__init__(attrs)
        self.kind = kind
        self.multiple = multiple
        self.choices: Any = ()
        #: Where suggestions come from when the field offers only part of what it accepts
        #: (``_PickerMixin.offer_only``); the kind's own view otherwise.
        self.suggest_url = ""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Picked:
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name) or []
        if isinstance(values, str):
            values = [values]
        values = [str(v) for v in values if str(v).strip()]
        return Picked(
            tuple(dict.fromkeys(values)),
            str(data.get(f"{name}__q", "")).strip()[:100],
            str(data.get(f"{name}__asked", "")).strip()[:100],
        )

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and f"{name}__q" not in data

    def use_required_attribute(self, initial: Any) -> bool:
        # A ``required`` text field would refuse a form whose items are all ticked; the text
        # field says ``aria-required`` instead (see ``get_context``).
        return False

    def _field(self) -> Any:
        return getattr(self.choices, "field", None)

    def _keys(self, value: Any) -> tuple[list[str], str]:
        """The chosen values as strings, and the text typed, from posted or initial data."""
        if isinstance(value, Picked):
            return list(value.values), value.query
        if value in (None, ""):
            return [], ""
        items = value if isinstance(value, list | tuple | QuerySet) else [value]
        model_field = self._field()
        keys = []
        for item in items:
            if isinstance(item, Model):
                key = model_field.to_field_name if model_field else None
                item = getattr(item, key) if key else item.pk
            keys.append(str(item))
        return keys, ""

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        model_field = self._field()
        keys, query = self._keys(value)
        chosen: list[tuple[str, str]] = []
        suggestions: list[tuple[str, str]] = []
        more = False
        if model_field is not None:
            key = model_field.to_field_name or "pk"
            keys = _valid_keys(model_field.queryset, key, keys)
            rows = {
                str(getattr(r, key)): r for r in model_field.queryset.filter(**{f"{key}__in": keys})
            }
            chosen = [(k, self.kind.describe(rows[k])) for k in keys if k in rows]
            if query:
                found = model_field.matches(query)
                found = list(found.exclude(**{f"{key}__in": keys})[: SUGGESTIONS + 1])
                more = len(found) > SUGGESTIONS
                suggestions = [
                    (str(getattr(r, key)), self.kind.describe(r)) for r in found[:SUGGESTIONS]
                ]
        attrs = context["widget"]["attrs"]
        widget_id = attrs.get("id") or f"id_{name}"
        context["widget"].update(
            {
                "id": widget_id,
                "multiple": self.multiple,
                "input_type": "checkbox" if self.multiple else "radio",
                "chosen": chosen,
                "query": query,
                "suggestions": suggestions,
                "more": more,
                "prompt": self.kind.prompt,
                # The text field is marked like the form's other fields: required (the
                # context's ``required``), invalid, and described by the field's help text
                # and error (ids the form's template gives them).
                "invalid": attrs.get("aria-invalid") == "true",
                "described_by": attrs.get("aria-describedby", ""),
                "suggest_url": (self.suggest_url or reverse(self.kind.suggest_url))
                + f"?field={name}&multiple={int(self.multiple)}",
            }
        )
        return context

    def id_for_label(self, id_: str) -> str:
        return f"{id_}__q" if id_ else id_


#: What a picker says when a typed text finds nothing.
_NO_MATCH = gettext_lazy("Nothing matches “%(text)s”: try fewer letters or another word.")


class _PickerMixin:
    kind: PickerKind
    #: What to say instead of ``_NO_MATCH`` where the form offers another way (a text with
    #: ``%(text)s``, e.g. "… or add it below").
    no_match: str | Promise = ""
    #: What is suggested, and what typed text is resolved among, when narrower than what the
    #: field accepts (``offer_only``).
    _offered: QuerySet[Any] | None = None

    def offer_only(self, queryset: QuerySet[Any], suggest_url: str) -> None:
        """Suggest only ``queryset``, a part of the field's, from the view at
        ``suggest_url``, which serves the same part. A value posted outside it is still
        accepted by the field, so the service can refuse it with its own, clearer reason
        (an organisation already in the alliance, rather than "not one of the choices")."""
        self._offered = queryset
        self.widget.suggest_url = suggest_url  # type: ignore[attr-defined]

    def matches(self, query: str) -> QuerySet[Any]:
        """What a typed text finds: among the offered items, or, when none of those
        match, among all the field accepts (so that "Kisumu", already in the alliance, is
        answered by the service's reason rather than "nothing matches")."""
        everything: QuerySet[Any] = self.queryset  # type: ignore[attr-defined]
        if self._offered is not None:
            offered = self.kind.search(self._offered, query)
            if offered.exists():
                return offered
        return self.kind.search(everything, query)

    def bound_data(self, data: Any, initial: Any) -> Any:
        """What the picker shows again when the form comes back with errors elsewhere: a text
        that named one item shows that item chosen (and an empty text), not the text with
        its matches to tick as if it were unresolved; an unresolved text stays as typed."""
        if not isinstance(data, Picked) or not data.query:
            return data
        try:
            named = self._resolve_query(data.query, [])
        except ValidationError:
            return data
        key = getattr(self, "to_field_name", None) or "pk"
        value = str(getattr(named, key))
        values = data.values if getattr(self.widget, "multiple", False) else ()  # type: ignore[attr-defined]
        return Picked(tuple(dict.fromkeys((*values, value))), "")

    def _resolve_query(
        self, query: str, chosen: list[Any], *, asked: str | None = None
    ) -> Any | None:
        """The one item the text names, or ``None`` when a chosen item already answers it;
        an error naming the fix otherwise. A sole match is taken only when the text is
        part of how it reads ("county" for "Mombasa County"): one found word by word
        ("Local Government Service" for "… Civil Service and Local Self-Government …") is
        offered to tick, never chosen for the person.

        Of a picker of one item (``asked`` given), a text that matches several answers the
        chosen one only when the page listed its matches and the person chose among them:
        typed over a choice already made ("County" over "Makueni County"), it asks for a
        new choice instead of keeping the old one in silence."""
        found = list(self.matches(query)[: SUGGESTIONS + 1])
        exact = [item for item in found if self.kind.exact(item, query)]
        if len(exact) == 1:
            return exact[0]
        if len(found) == 1 and folded(query) in folded(self.kind.describe(found[0])):
            return found[0]
        if any(item in chosen for item in found) and (asked is None or asked == query):
            return None
        if not found:
            raise ValidationError(
                (self.no_match or _NO_MATCH) % {"text": query},
                code="no_match",
            )
        if len(found) == 1:
            raise ValidationError(
                _(
                    "Only one is close to “%(text)s”: tick it below if it is the one, "
                    "then save again."
                )
                % {"text": query},
                code="unsure",
            )
        raise ValidationError(
            _("Several match “%(text)s”: tick the one you mean below, then save again.")
            % {"text": query},
            code="ambiguous",
        )


class PickerField(_PickerMixin, forms.ModelChoiceField):  # type: ignore[type-arg]
    """One item, chosen with a picker."""

    def __init__(
        self, queryset: Any, *, kind: PickerKind, no_match: str | Promise = "", **kwargs: Any
    ) -> None:
        self.kind = kind
        self.no_match = no_match
        kwargs.setdefault("widget", PickerWidget(kind, multiple=False))
        super().__init__(queryset, **kwargs)

    def clean(self, value: Any) -> Any:
        picked = value if isinstance(value, Picked) else Picked(tuple([value] if value else []))
        chosen = [self.to_python(v) for v in picked.values[-1:]]
        chosen = [c for c in chosen if c is not None]
        if picked.query:
            named = self._resolve_query(picked.query, chosen, asked=picked.asked)
            if named is not None:
                chosen = [named]
        result = chosen[0] if chosen else None
        self.validate(result)
        self.run_validators(result)
        return result

    def has_changed(self, initial: Any, data: Any) -> bool:
        return True


class PickerMultipleField(_PickerMixin, forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Several items, chosen with a picker."""

    def __init__(
        self, queryset: Any, *, kind: PickerKind, no_match: str | Promise = "", **kwargs: Any
    ) -> None:
        self.kind = kind
        self.no_match = no_match
        kwargs.setdefault("widget", PickerWidget(kind, multiple=True))
        super().__init__(queryset, **kwargs)

    def clean(self, value: Any) -> Any:
        picked = value if isinstance(value, Picked) else Picked(tuple(value or ()))
        chosen = list(self._check_values(picked.values)) if picked.values else []  # type: ignore[attr-defined]
        if picked.query:
            named = self._resolve_query(picked.query, chosen)
            if named is not None and named not in chosen:
                chosen.append(named)
        if self.required and not chosen:
            raise ValidationError(self.error_messages["required"], code="required")
        key = self.to_field_name or "pk"
        assert self.queryset is not None
        result = self.queryset.filter(**{f"{key}__in": [getattr(c, key) for c in chosen]})
        self.run_validators(result)
        return result

    def has_changed(self, initial: Any, data: Any) -> bool:
        return True


def suggestions(
    request: HttpRequest,
    *,
    kind: PickerKind,
    queryset: QuerySet[Any],
    key: str = "pk",
    set_aside: tuple[QuerySet[Any], str] | None = None,
) -> HttpResponse:
    """A picker's suggestions for the text typed: the checkboxes (or radio buttons) to add to
    the form, for htmx; a short page of the matches otherwise. ``queryset`` is what the
    person may choose from, read through the access layer. ``set_aside`` is a queryset of
    items that are not offered, and why (a text with ``%(item)s``): when no offered item
    matches, those the text matches are named with the reason, so that "Kisumu" says
    "already in the alliance" rather than "nothing matches"."""
    name = request.GET.get("field", "")
    if not _FIELD_NAME.match(name):
        name = "q"
    query = (request.GET.get(f"{name}__q") or request.GET.get("q") or "").strip()[:100]
    multiple = request.GET.get("multiple") != "0"
    chosen = _valid_keys(queryset, key, [v for v in request.GET.getlist(name) if v][:200])
    found: list[Any] = []
    if query:
        # One more than is shown, to say when more match than the list holds.
        found = list(
            kind.search(queryset, query).exclude(**{f"{key}__in": chosen})[: SUGGESTIONS + 1]
        )
    items = [(str(getattr(r, key)), kind.describe(r)) for r in found[:SUGGESTIONS]]
    aside: list[str] = []
    if query and not found and set_aside is not None:
        others, reason = set_aside
        aside = [reason % {"item": item} for item in kind.search(others, query)[:SUGGESTIONS]]
    context = {
        "name": name,
        "query": query,
        "items": items,
        "more": len(found) > SUGGESTIONS,
        "aside": aside,
        "input_type": "checkbox" if multiple else "radio",
        "prompt": kind.prompt,
    }
    template = "core/picker_suggestions.html"
    if getattr(request, "htmx", False):
        template += "#list"
    return render(request, template, context)


# --- the kinds core owns: languages ----------------------------------------------------------


def folded(text: str) -> str:
    """``text`` without case or accents, for matching what people type: "Français" →
    "francais"."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def _language_search(queryset: QuerySet[Any], text: str) -> QuerySet[Any]:
    """Languages whose code, English name or name in the reader's language holds ``text``,
    those that start with it first (about 180 rows: matched in Python, so accents and the
    reader's language count)."""
    from django.db.models import Case, IntegerField, Value, When

    wanted = folded(text)
    ranked = []
    for lang in queryset.only("code", "name"):
        names = (folded(lang.display_name), folded(lang.name))
        if wanted == lang.code or any(n.startswith(wanted) for n in names):
            ranked.append((0, names[0], lang.code))
        elif any(wanted in n for n in names):
            ranked.append((1, names[0], lang.code))
    ranked.sort()
    # Names that start with the text first, then those that contain it; alphabetical within.
    order = Case(
        *[When(code=code, then=Value(i)) for i, (_rank, _name, code) in enumerate(ranked)],
        default=Value(len(ranked)),
        output_field=IntegerField(),
    )
    return queryset.filter(code__in=[code for _rank, _name, code in ranked]).order_by(order)


def _language_exact(language: Any, text: str) -> bool:
    wanted = folded(text)
    return wanted in (language.code, folded(language.name), folded(language.display_name))


LANGUAGES = PickerKind(
    suggest_url="core:language_suggestions",
    search=_language_search,
    exact=_language_exact,
    prompt=gettext_lazy("Add a language"),
)


def language_suggestions(request: HttpRequest) -> HttpResponse:
    """Languages matching the text typed in a language picker."""
    from peerlearn.core.models import Language

    return suggestions(request, kind=LANGUAGES, queryset=Language.objects.all(), key="code")


# --- countries -------------------------------------------------------------------------------


def _country_search(queryset: QuerySet[Any], text: str) -> QuerySet[Any]:
    """Countries whose ISO code (two or three letters), English name or name in the reader's
    language holds ``text``; a code or a name that starts with it first (about 250 rows:
    matched in Python, as languages are)."""
    from django.db.models import Case, IntegerField, Value, When

    wanted = folded(text)
    ranked = []
    for country in queryset.only("code", "alpha_3", "name"):
        names = (folded(country.display_name), folded(country.name))
        codes = (country.code.casefold(), country.alpha_3.casefold())
        if wanted in codes or any(n.startswith(wanted) for n in names):
            ranked.append((0 if wanted in codes else 1, names[0], country.code))
        elif any(wanted in n for n in names):
            ranked.append((2, names[0], country.code))
    ranked.sort()
    order = Case(
        *[When(code=code, then=Value(i)) for i, (_rank, _name, code) in enumerate(ranked)],
        default=Value(len(ranked)),
        output_field=IntegerField(),
    )
    return queryset.filter(code__in=[code for _rank, _name, code in ranked]).order_by(order)


def _country_exact(country: Any, text: str) -> bool:
    """The country's name, or its ISO code written as a code ("GU", "KEN"): in small
    letters "gu" is as likely the start of Guatemala or Guinea as Guam's code, so it lists
    them to tick."""
    wanted = folded(text)
    codes = (country.code, country.alpha_3) if text.strip().isupper() else ()
    return text.strip() in codes or wanted in (folded(country.name), folded(country.display_name))


COUNTRIES = PickerKind(
    suggest_url="core:country_suggestions",
    search=_country_search,
    exact=_country_exact,
    prompt=gettext_lazy("Add a country"),
)


def country_suggestions(request: HttpRequest) -> HttpResponse:
    """Countries matching the text typed in a country picker (countries are reference data,
    not confidential)."""
    from peerlearn.core.models import Country

    return suggestions(request, kind=COUNTRIES, queryset=Country.objects.all(), key="code")
