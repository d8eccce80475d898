from django.db import migrations, models


def relabel_duplicates(apps, schema_editor):
    """Before a label names one participant: collapse spaces in labels as `record_votes` now does, and
    give any second participant holding the same label in a conversation a distinct one ("… #number").
    Votes are left untouched: which duplicates are the same paper form is for staff to judge."""
    Participant = apps.get_model("design", "Participant")
    used: set[tuple[int, str]] = set()
    for participant in Participant.objects.exclude(label="").order_by("conversation_id", "number").iterator():
        base = " ".join(participant.label.split())
        label, extra = base, 1
        while (participant.conversation_id, label) in used:
            suffix = f" #{participant.number}" + (f"-{extra}" if extra > 1 else "")
            label, extra = base[: 80 - len(suffix)] + suffix, extra + 1
        used.add((participant.conversation_id, label))
        if label != participant.label:
            participant.label = label
            participant.save(update_fields=["label"])


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
        ('design', '0002_background_polis_uploads'),
    ]

    operations = [
        migrations.RunPython(relabel_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='participant',
            constraint=models.UniqueConstraint(condition=models.Q(('label', ''), _negated=True), fields=('conversation', 'label'), name='design_unique_participant_label'),
        ),
    ]
