from django.urls import path, register_converter

from peerlearn.core.converters import AuthorisationActionConverter, StatementKindConverter
from peerlearn.peers import pickers, views

app_name = "peers"
register_converter(StatementKindConverter, "kind")
register_converter(AuthorisationActionConverter, "decision")

urlpatterns = [
    path("", views.directory, name="directory"),
    path("suggest/", pickers.peer_suggestions, name="suggestions"),
    path("<int:peer_id>/", views.profile, name="profile"),
    path("<int:peer_id>/contact/", views.contact, name="contact"),
    path("me/", views.profile_edit, name="profile_edit"),
    path("me/<kind:kind>/new/", views.statement_new, name="statement_new"),
    path("me/<kind:kind>/<int:statement_id>/edit/", views.statement_edit, name="statement_edit"),
    path(
        "me/<kind:kind>/<int:statement_id>/delete/", views.statement_remove, name="statement_delete"
    ),
    path("me/authorisation/", views.authorisation_new, name="authorisation_new"),
    path("me/authorisation/ask-admins/", views.authoriser_ask, name="authoriser_ask"),
    path(
        "authorisations/<int:authorisation_id>/",
        views.authorisation_decision,
        name="authorisation_decision",
    ),
    path(
        "authorisations/<int:authorisation_id>/<decision:action>/",
        views.authorisation_act,
        name="authorisation_act",
    ),
]
