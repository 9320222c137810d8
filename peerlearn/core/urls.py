from django.urls import path

from peerlearn.core import pickers

app_name = "core"

urlpatterns = [
    path("languages/suggest/", pickers.language_suggestions, name="language_suggestions"),
    path("countries/suggest/", pickers.country_suggestions, name="country_suggestions"),
]
