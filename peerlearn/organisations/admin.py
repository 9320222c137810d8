from django.contrib import admin

from peerlearn.organisations.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "acronym", "type", "country"]
    list_filter = ["type", "country__region"]
    search_fields = ["name", "acronym"]
    autocomplete_fields = ["country"]
