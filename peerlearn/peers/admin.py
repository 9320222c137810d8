from django.contrib import admin

from peerlearn.peers.models import Authorisation, Challenge, Experience, PeerProfile


class ChallengeInline(admin.StackedInline[Challenge, PeerProfile]):
    model = Challenge
    extra = 0
    autocomplete_fields = ["theme"]


class ExperienceInline(admin.StackedInline[Experience, PeerProfile]):
    model = Experience
    extra = 0
    autocomplete_fields = ["theme"]


@admin.register(PeerProfile)
class PeerProfileAdmin(admin.ModelAdmin[PeerProfile]):
    list_display = ["user", "position", "seniority", "reform_stage", "visibility"]
    list_filter = ["reform_stage", "seniority", "visibility", "reform_areas"]
    search_fields = ["user__name", "user__username", "position"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["languages", "reform_areas"]
    inlines = [ChallengeInline, ExperienceInline]


@admin.register(Challenge, Experience)
class StatementAdmin(admin.ModelAdmin[Challenge | Experience]):
    list_display = ["title", "peer", "theme", "alliance", "visibility"]
    list_filter = ["theme", "visibility"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["peer", "theme", "alliance"]


@admin.register(Authorisation)
class AuthorisationAdmin(admin.ModelAdmin[Authorisation]):
    list_display = ["peer", "authoriser", "status", "decided_on"]
    list_filter = ["status"]
    autocomplete_fields = ["peer", "authoriser"]
