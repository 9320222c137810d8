"""A case's countries are chosen with the country picker, on the new and the edit form."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from peerlearn.library.models import Case

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _case(**countries: Any) -> dict[str, Any]:
    return {
        "title": "Tax peers",
        "summary": "What counties learned.",
        "themes": ["revenue-pfm"],
        "visibility": "platform",
        **countries,
    }


def test_new_and_edit_forms_choose_countries_with_the_picker(items: SimpleNamespace) -> None:
    client = _client(items.facilitator)
    page = client.get(reverse("library:case_new")).content.decode()
    assert "Hold Ctrl" not in page
    assert reverse("core:country_suggestions") in page

    response = client.post(reverse("library:case_new"), _case(countries__q="Kenya"))
    assert response.status_code == 302, response.context["form"].errors
    case = Case.objects.get(title="Tax peers")
    assert [c.code for c in case.countries.all()] == ["KE"]

    edit = reverse("library:case_edit", args=[case.id])
    form = client.get(edit).content.decode()
    assert 'name="countries" value="KE" checked' in form  # the chosen one, ticked
    # Keep Kenya, add Uganda by its code.
    response = client.post(edit, _case(countries=["KE"], countries__q="UG"))
    assert response.status_code == 302, response.context["form"].errors
    assert sorted(c.code for c in case.countries.all()) == ["KE", "UG"]
