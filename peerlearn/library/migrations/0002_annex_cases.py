"""The case library's first entries: the lessons of the paper's eight Annex 1 cases."""

from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from peerlearn.library.annex import load_annex_cases

    load_annex_cases(
        Case=apps.get_model("library", "Case"),
        CaseLesson=apps.get_model("library", "CaseLesson"),
        Tag=apps.get_model("library", "Tag"),
        Theme=apps.get_model("core", "Theme"),
        Country=apps.get_model("core", "Country"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0001_initial"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
