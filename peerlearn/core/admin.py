from django.contrib import admin

from peerlearn.core.models import Country, Language, SDGTarget, Theme


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin[Country]):
    list_display = ["code", "name", "region", "subregion"]
    list_filter = ["region"]
    search_fields = ["code", "name"]


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin[Language]):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(SDGTarget)
class SDGTargetAdmin(admin.ModelAdmin[SDGTarget]):
    list_display = ["code", "goal", "title"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin[Theme]):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["sdg_targets"]
