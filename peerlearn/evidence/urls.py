from django.urls import path

from peerlearn.evidence import views

app_name = "evidence"

urlpatterns = [
    path("", views.evidence_index, name="index"),
    path("alliances/<slug:slug>/", views.alliance_page, name="alliance"),
    path("alliances/<slug:slug>/indicators/new/", views.indicator_new, name="indicator_new"),
    path("alliances/<slug:slug>/outcomes/new/", views.outcome_new, name="outcome_new"),
    path("alliances/<slug:slug>/rounds/new/", views.round_new, name="round_new"),
    path("indicators/<int:indicator_id>/", views.indicator_page, name="indicator"),
    path("indicators/<int:indicator_id>/edit/", views.indicator_edit, name="indicator_edit"),
    path(
        "indicators/<int:indicator_id>/delete/",
        views.indicator_delete,
        name="indicator_delete",
    ),
    path("outcomes/<int:outcome_id>/", views.outcome_page, name="outcome"),
    path("outcomes/<int:outcome_id>/edit/", views.outcome_edit, name="outcome_edit"),
    path("outcomes/<int:outcome_id>/delete/", views.outcome_delete, name="outcome_delete"),
    path("transfers/new/", views.transfer_new, name="transfer_new"),
    path("transfers/<int:transfer_id>/", views.transfer_page, name="transfer"),
    path("transfers/<int:transfer_id>/edit/", views.transfer_edit, name="transfer_edit"),
    path("transfers/<int:transfer_id>/delete/", views.transfer_delete, name="transfer_delete"),
    path("rounds/<int:round_id>/", views.round_page, name="round"),
    path("rounds/<int:round_id>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:round_id>/delete/", views.round_delete, name="round_delete"),
    path("diary/", views.diary, name="diary"),
    path("diary/<int:entry_id>/", views.diary_entry_page, name="entry"),
    path("diary/<int:entry_id>/edit/", views.diary_entry_edit, name="entry_edit"),
    path("diary/<int:entry_id>/delete/", views.diary_entry_delete, name="entry_delete"),
    path("insights/", views.insights, name="insights"),
    path("insights/<int:insight_id>/", views.insight_page, name="insight"),
    path("insights/<int:insight_id>/edit/", views.insight_edit, name="insight_edit"),
    path("insights/<int:insight_id>/delete/", views.insight_delete, name="insight_delete"),
]
