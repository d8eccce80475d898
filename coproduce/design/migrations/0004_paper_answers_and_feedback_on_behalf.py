import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def mark_feedback_recorded_for_someone(apps, schema_editor):
    """Feedback already recorded by a user in the name of another person was recorded on their behalf."""
    Feedback = apps.get_model("design", "Feedback")
    for item in Feedback.objects.filter(person__isnull=False, recorded_by__isnull=False).select_related("person"):
        if item.person.user_id != item.recorded_by_id:
            Feedback.objects.filter(pk=item.pk).update(on_behalf=True)


class Migration(migrations.Migration):

    dependencies = [
        ('design', '0003_unique_ballot_label'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='answer',
            name='channel',
            field=models.CharField(default='web', max_length=20),
        ),
        migrations.AddField(
            model_name='answer',
            name='entered_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='feedback',
            name='on_behalf',
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(mark_feedback_recorded_for_someone, migrations.RunPython.noop),
    ]
