from django.urls import path

from peerlearn.matchmaking import invite_views, views

app_name = "matchmaking"

urlpatterns = [
    path("", views.index, name="index"),
    path("runs/new/", views.run_new, name="run_new"),
    path("runs/<int:run_id>/", views.run_page, name="run"),
    path("runs/<int:run_id>/propose/", views.run_propose, name="run_propose"),
    path("runs/<int:run_id>/close/", views.run_close, name="run_close"),
    path("proposals/", views.proposals, name="proposals"),
    path("proposals/<int:proposal_id>/", views.proposal_page, name="proposal"),
    path("proposals/<int:proposal_id>/respond/", views.proposal_respond_view, name="respond"),
    path("proposals/<int:proposal_id>/confirm/", views.proposal_confirm_view, name="confirm"),
    path("proposals/<int:proposal_id>/withdraw/", views.proposal_withdraw_view, name="withdraw"),
    path("calls/", views.calls, name="calls"),
    path("calls/new/", views.call_new, name="call_new"),
    path("calls/<int:call_id>/", views.call_page, name="call"),
    path("calls/<int:call_id>/apply/", views.call_apply, name="call_apply"),
    path("calls/invite/<int:peer_id>/", invite_views.call_invite, name="call_invite"),
    path("excluded/", views.excluded, name="excluded"),
    path("excluded/<int:pair_id>/delete/", views.excluded_delete, name="excluded_delete"),
]
