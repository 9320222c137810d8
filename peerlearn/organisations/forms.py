"""The form that adds an organisation not listed yet, shared by the pages whose
organisation picker may find nothing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from peerlearn.core.forms import ModelChoiceByName
from peerlearn.core.models import Country
from peerlearn.organisations.models import Organisation


class OrganisationForm(forms.Form):
    """Adding an organisation that is not listed yet, below a form whose organisation
    picker found nothing: one's own on the peer profile, an invitee's on the invitation."""

    #: Whether an organisation added must name its country (an international one has none).
    country_required = True

    new_organisation_name = forms.CharField(
        label=_("Organisation name"), max_length=200, required=False
    )
    new_organisation_type = forms.ChoiceField(
        label=_("Type"),
        choices=[("", "—"), *Organisation._meta.get_field("type").choices],  # type: ignore[misc]
        required=False,
    )
    new_organisation_country = ModelChoiceByName(
        empty_label="—",
        label=_("Country"),
        queryset=Country.objects.all(),
        to_field_name="code",
        required=False,
    )

    use_organisation = forms.ModelChoiceField(
        empty_label="—",
        label=_("Use an organisation already listed"),
        queryset=Organisation.objects.all(),
        required=False,
        widget=forms.HiddenInput,
    )
    create_anyway = forms.BooleanField(
        label=_("None of these: add my organisation anyway"),
        required=False,
        widget=forms.HiddenInput,
    )

    def names_none_beside(self, profile_form: forms.Form) -> bool:
        """True when neither form names an organisation: none picked from the list, none
        chosen among close ones, none typed to add. Asked once both forms are validated,
        so that this error comes in the same round as the others."""
        if "organisation" in profile_form.errors:
            return False  # the picker says what is wrong with what was typed
        picked = getattr(profile_form, "cleaned_data", {}).get("organisation")
        here = getattr(self, "cleaned_data", {})
        added = here.get("use_organisation") or here.get("new_organisation_name")
        return picked is None and not added and "new_organisation_name" not in self.errors

    def valid_beside(self, form: forms.Form, field: str = "organisation") -> bool:
        """Validate ``form`` and this form in one round. An organisation added here answers
        ``form``'s picker ``field``, whatever its search found; a search that found nothing
        fills in the name to add, so that adding it asks only its type and country."""
        valid = [form.is_valid(), self.is_valid()]
        if self.adds_one() and field in form.errors:
            del form.errors[field]
            valid[0] = not form.errors
        elif form.has_error(field, "no_match"):
            self.suggest_name(getattr(form[field].data, "query", ""))
        return all(valid)

    def adds_one(self) -> bool:
        """True when this form names the organisation (one added, or one of those offered
        ticked): it answers the profile's question, whatever was typed in its search."""
        here = getattr(self, "cleaned_data", {})
        return bool(here.get("use_organisation") or here.get("new_organisation_name"))

    def suggest_name(self, typed: str) -> None:
        """Fill the empty name of the organisation to add with what was typed in the
        profile's search and found nowhere, so that adding it asks only its type and
        country. Only the value shown changes: what was asked is already answered."""
        if self.data.get("new_organisation_name") or not typed.strip():
            return
        data = QueryDict(mutable=True)
        data.update(self.data)
        data["new_organisation_name"] = typed.strip()
        self.data = data
        self._bound_fields_cache.pop("new_organisation_name", None)  # type: ignore[attr-defined]

    def offer(self, close: list[Organisation]) -> None:
        """Offer the organisations close to the name typed, first, and the choice of adding
        it anyway."""
        use = self.fields["use_organisation"]
        use.empty_label = None  # type: ignore[attr-defined]
        use.widget = forms.RadioSelect()
        use.queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            id__in=[o.id for o in close]
        ).select_related("country")
        use.label = _("Is it one of these?")
        use.label_from_instance = (  # type: ignore[attr-defined]
            lambda o: f"{o} — {o.country.display_name}" if o.country else str(o)
        )
        self.fields["create_anyway"].widget = forms.CheckboxInput()
        self.order_fields(["use_organisation", "create_anyway"])
        for name in ("use_organisation", "create_anyway"):  # bound before the change
            self._bound_fields_cache.pop(name, None)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_organisation_name") and not data.get("use_organisation"):
            if not data.get("new_organisation_type"):
                self.add_error("new_organisation_type", _("Choose the organisation's type."))
            if self.country_required and not data.get("new_organisation_country"):
                self.add_error("new_organisation_country", _("Choose the organisation's country."))
        return data
