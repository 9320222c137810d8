from django.urls import path

from peerlearn.organisations import pickers

app_name = "organisations"

urlpatterns = [
    path("suggest/", pickers.organisation_suggestions, name="suggestions"),
]
