"""Mounted under ``alliances/<slug>/``: an alliance's pre-assessment and learning strategy."""

from django.urls import path

from peerlearn.strategy import views

app_name = "strategy"

urlpatterns = [
    path("pre-assessment/", views.preassessment_page, name="preassessment"),
    path("pre-assessment/grouping/", views.grouping, name="grouping"),
    path("pre-assessment/ranking/", views.ranking, name="ranking"),
    path("pre-assessment/state/", views.ranking_state, name="ranking_state"),
    path("pre-assessment/needs/<int:need_id>/", views.need_edit, name="need"),
    path("pre-assessment/needs/<int:need_id>/move/", views.need_move, name="need_move"),
    path("pre-assessment/groups/<int:needgroup_id>/", views.group_edit, name="group"),
    path("strategy/", views.strategy_page, name="strategy"),
    path("strategy/parts/<int:part_id>/", views.part_edit, name="part"),
    path("strategy/parts/<int:part_id>/confirm/", views.part_confirm, name="part_confirm"),
    path("strategy/parts/<int:part_id>/remind/", views.part_remind, name="part_remind"),
]
