from django.db import migrations

from coproduce.timebank.categories import seed_missing


def seed(apps, schema_editor):
    seed_missing(apps.get_model("timebank", "Category"))


class Migration(migrations.Migration):
    dependencies = [("timebank", "0002_categories")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
