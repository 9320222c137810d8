from django.urls import path

from peerlearn.alliances import closing_views, invite_views, views

app_name = "alliances"

urlpatterns = [
    path("", views.alliance_index, name="list"),
    path("new/", views.alliance_new, name="create"),
    path("invitations/<str:token>/", views.invitation_page, name="invitation"),
    path("invite-peer/<int:peer_id>/", invite_views.invite_peer, name="invite_peer"),
    path("<slug:slug>/", views.alliance_page, name="detail"),
    path("<slug:slug>/edit/", views.alliance_edit, name="edit"),
    path("<slug:slug>/stage/", views.alliance_stage, name="stage"),
    path("<slug:slug>/close/", closing_views.alliance_close_page, name="close"),
    path("<slug:slug>/reopen/", closing_views.alliance_reopen_page, name="reopen"),
    path("<slug:slug>/checklist/", views.alliance_checklist_page, name="checklist"),
    path("<slug:slug>/members/", views.alliance_members, name="members"),
    path("<slug:slug>/members/add/", views.alliance_member_add_view, name="member_add"),
    path("<slug:slug>/members/invite/", views.alliance_invite, name="invite"),
    path("<slug:slug>/members/import/", views.alliance_cohort, name="cohort"),
    path(
        "<slug:slug>/members/organisations/",
        views.alliance_organisations,
        name="organisations",
    ),
    path(
        "<slug:slug>/members/organisations/suggestions/",
        views.alliance_organisation_suggestions,
        name="organisation_suggestions",
    ),
    path(
        "<slug:slug>/members/<int:membership_id>/role/",
        views.alliance_member_role,
        name="member_role",
    ),
    path(
        "<slug:slug>/members/<int:membership_id>/remove/",
        views.alliance_member_remove_view,
        name="member_remove",
    ),
    path(
        "<slug:slug>/invitations/<int:invitation_id>/withdraw/",
        views.alliance_invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("<slug:slug>/leave/", views.alliance_leave, name="leave"),
    path("<slug:slug>/priorities/", views.alliance_priorities, name="priorities"),
    path(
        "<slug:slug>/priorities/<int:priority_id>/",
        views.alliance_priority_edit,
        name="priority_edit",
    ),
    path(
        "<slug:slug>/priorities/<int:priority_id>/move/",
        views.alliance_priority_move_view,
        name="priority_move",
    ),
    path(
        "<slug:slug>/priorities/<int:priority_id>/delete/",
        views.alliance_priority_delete_view,
        name="priority_delete",
    ),
    path("<slug:slug>/risks/", views.alliance_risks, name="risks"),
    path("<slug:slug>/risks/<int:note_id>/", views.alliance_risk_edit, name="risk_edit"),
    path(
        "<slug:slug>/risks/<int:note_id>/delete/",
        views.alliance_risk_delete,
        name="risk_delete",
    ),
    path("<slug:slug>/history/", views.alliance_history_page, name="history"),
]
