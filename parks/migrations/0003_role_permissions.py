"""Give the role groups of DESIGN §1 their permissions on the parks/ models (the Django admin uses them).

Groups are created here if missing, so this migration does not depend on the order in which apps create them.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ("park", "parkstatistic", "parkfigure", "department", "enterprise", "staffprofile", "enterprisemembership")
ALL = ("view", "add", "change", "delete")

GRANTS = {
    "platform_admin": dict.fromkeys(MODELS, ALL),
    "park_admin": {
        "park": ("view", "change"),
        "parkstatistic": ALL,
        "parkfigure": ALL,
        "department": ("view", "add", "change"),
        "enterprise": ("view", "add", "change"),
        "staffprofile": ("view", "add", "change"),
        "enterprisemembership": ALL,
    },
    "dispatcher": {"park": ("view",), "department": ("view",), "enterprise": ("view",)},
    "handler": {"park": ("view",), "department": ("view",), "enterprise": ("view",)},
    "discipline": {"park": ("view",), "department": ("view",), "enterprise": ("view",), "staffprofile": ("view",)},
    "auditor": dict.fromkeys(MODELS, ("view",)),
    "enterprise": {},
}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations ran; create the parks ones now to grant them.
    parks_config = apps.get_app_config("parks")
    parks_config.models_module = True
    create_permissions(parks_config, apps=apps, verbosity=0)
    parks_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, grants in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        codenames = [f"{action}_{model}" for model, actions in grants.items() for action in actions]
        group.permissions.add(*Permission.objects.filter(content_type__app_label="parks", codename__in=codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    parks_permissions = Permission.objects.filter(content_type__app_label="parks")
    for group in Group.objects.filter(name__in=GRANTS):
        group.permissions.remove(*parks_permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("parks", "0002_park_profile_enterprise_review_figures"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
