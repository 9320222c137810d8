from django.urls import path

from peerlearn.initiatives import views

app_name = "initiatives"

urlpatterns = [
    path("", views.initiative_index, name="list"),
    path("<slug:slug>/", views.initiative_page, name="detail"),
]
