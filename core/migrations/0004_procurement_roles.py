"""Two roles for e-procurement (DESIGN §8): the park's procurement officer (采购专员), an official, and the
external evaluation expert (评审专家) drawn into evaluation committees."""

from django.db import migrations

# Frozen at the time of writing.
ROLES = ("procurement", "expert")


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.using(schema_editor.connection.alias).get_or_create(name=name)


def delete_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0003_auditevent_append_only_trigger")]

    operations = [migrations.RunPython(create_groups, delete_groups)]
