from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from peerlearn.api import api

urlpatterns = [
    path("", include("peerlearn.dashboards.urls")),
    path("accounts/", include("peerlearn.accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("peers/", include("peerlearn.peers.urls")),
    path("initiatives/", include("peerlearn.initiatives.urls")),
    path("alliances/", include("peerlearn.alliances.urls")),
    path("matching/", include("peerlearn.matchmaking.urls")),
    path("audit/", include("peerlearn.audit.urls")),
    path("accounts/", include("peerlearn.privacy.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
