from django.contrib import admin
from django.contrib.auth.views import PasswordResetView
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog

from peerlearn.accounts.forms import PasswordResetRequestForm
from peerlearn.accounts.language import language_choose
from peerlearn.accounts.views import PasswordChoose
from peerlearn.api import api_urls
from peerlearn.core import health
from peerlearn.core.errors import api_not_found

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin, the API's docs).
    path("favicon.ico", health.favicon, name="favicon"),
    path("", include("peerlearn.dashboards.urls")),
    path("accounts/", include("peerlearn.accounts.urls")),
    # Django's, with the field named as elsewhere, and signing its owner in once the
    # password is chosen (before Django's own).
    path(
        "accounts/password_reset/",
        PasswordResetView.as_view(form_class=PasswordResetRequestForm),
        name="password_reset",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        PasswordChoose.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("peers/", include("peerlearn.peers.urls")),
    path("organisations/", include("peerlearn.organisations.urls")),
    path("reference/", include("peerlearn.core.urls")),
    path("initiatives/", include("peerlearn.initiatives.urls")),
    path("library/", include("peerlearn.library.urls")),
    path("alliances/<slug:slug>/", include("peerlearn.strategy.urls")),
    path("alliances/", include("peerlearn.alliances.urls")),
    path("matching/", include("peerlearn.matchmaking.urls")),
    path("activities/", include("peerlearn.activities.urls")),
    path("evidence/", include("peerlearn.evidence.urls")),
    path("audit/", include("peerlearn.audit.urls")),
    path("search/", include("peerlearn.search.urls")),
    path("supply-and-demand/", include("peerlearn.demand.urls")),
    path("notifications/", include("peerlearn.notifications.urls")),
    path("discussions/", include("peerlearn.discussions.urls")),
    path("accounts/", include("peerlearn.privacy.urls")),
    path("", include("peerlearn.reports.urls")),
    path("i18n/setlang/", language_choose, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", api_urls()),
    re_path(r"^api/", api_not_found),
    path("admin/", admin.site.urls),
]

# The project's own error pages (JSON under /api/): never a traceback or the URL list.
handler400 = "peerlearn.core.errors.bad_request"
handler403 = "peerlearn.core.errors.permission_denied"
handler404 = "peerlearn.core.errors.page_not_found"
handler500 = "peerlearn.core.errors.server_error"
