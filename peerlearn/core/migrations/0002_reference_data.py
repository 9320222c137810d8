from django.db import migrations


def load(apps, schema_editor):
    from peerlearn.core.reference import load_reference_data

    load_reference_data(
        Country=apps.get_model("core", "Country"),
        Language=apps.get_model("core", "Language"),
        SDGTarget=apps.get_model("core", "SDGTarget"),
        Theme=apps.get_model("core", "Theme"),
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
