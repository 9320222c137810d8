from django.urls import path, register_converter

from peerlearn.reports import views
from peerlearn.reports.converters import OpenTableConverter

register_converter(OpenTableConverter, "opentable")

app_name = "reports"

urlpatterns = [
    path("reports/alliances/<slug:slug>/", views.alliance_report_page, name="alliance"),
    path(
        "reports/alliances/<slug:slug>/report.pdf", views.alliance_report_pdf, name="alliance_pdf"
    ),
    path(
        "reports/alliances/<slug:slug>/report-tables.zip",
        views.alliance_report_tables,
        name="alliance_tables",
    ),
    path(
        "reports/alliances/<slug:slug>/members/",
        views.alliance_members_report_page,
        name="alliance_members",
    ),
    path(
        "reports/alliances/<slug:slug>/members/report.pdf",
        views.alliance_members_report_pdf,
        name="alliance_members_pdf",
    ),
    path(
        "reports/alliances/<slug:slug>/members/report-tables.zip",
        views.alliance_members_report_tables,
        name="alliance_members_tables",
    ),
    path("reports/alliances/<slug:slug>/assess/", views.priority_assess, name="assess"),
    path("reports/countries/<str:code>/", views.country_report_page, name="country"),
    path("reports/countries/<str:code>/report.pdf", views.country_report_pdf, name="country_pdf"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/<opentable:table>.csv", views.open_data_csv, name="open_data_csv"),
    path("open-data/<opentable:table>.json", views.open_data_json, name="open_data_json"),
    path("open-data/iati-activities.xml", views.open_data_iati, name="open_data_iati"),
]
