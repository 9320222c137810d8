"""The project's URLs plus one view that fails, for the error page tests."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from peerlearn.urls import handler400, handler403, handler404, handler500  # noqa: F401
from peerlearn.urls import urlpatterns as project_urlpatterns


def fail(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret internal detail")


urlpatterns = [path("fail/", fail), path("api/v1/fail", fail), *project_urlpatterns]
