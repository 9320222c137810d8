from django.urls import path

from peerlearn.alliances import views

app_name = "alliances"

urlpatterns = [
    path("", views.alliance_index, name="list"),
    path("<slug:slug>/", views.alliance_page, name="detail"),
    path("<slug:slug>/stage/", views.alliance_stage, name="stage"),
]
