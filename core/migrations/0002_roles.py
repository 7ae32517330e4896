"""The seven role groups of DESIGN §1. Their model permissions are granted by `core.roles.grant_role_permissions`
(a post_migrate receiver), so that apps migrated later get theirs too."""

from django.db import migrations

# Frozen copy of core.roles.ALL_ROLES at the time of writing: a migration must not follow later code changes.
ROLES = ("platform_admin", "park_admin", "dispatcher", "handler", "discipline", "enterprise", "auditor")


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.using(schema_editor.connection.alias).get_or_create(name=name)


def delete_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]
