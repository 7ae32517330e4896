"""Platform-default period rules per method and red-flag thresholds, from China's Government Procurement Law
(政府采购法), its implementing regulation and MOF orders 87 and 74:

- 公开招标 / 邀请招标: at least 20 days from the notice to the bid deadline; a clarification or change less than
  15 days before the deadline moves the deadline.
- 竞争性谈判 / 询价: at least 3 working days; a change less than 3 working days before moves it.
- 单一来源: the justification is published for at least 5 working days; one supplier negotiates.
- All: the award within 5 working days of the evaluation report, announced within 2 working days, publicity of
  1 working day, objections within 7 working days, answered within 7; contract within 30 days, published
  within 2 working days; supplementary contracts at most 10 % of the original value.
"""

from django.db import migrations

from procurement.rules import DEFAULT_RULES as DEFAULTS


def create_defaults(apps, schema_editor):
    MethodRule = apps.get_model("procurement", "MethodRule")
    FlagSettings = apps.get_model("procurement", "FlagSettings")
    for method, values in DEFAULTS.items():
        if not MethodRule.objects.filter(park__isnull=True, method=method).exists():
            MethodRule.objects.create(park=None, method=method, **values)
    if not FlagSettings.objects.filter(park__isnull=True).exists():
        FlagSettings.objects.create(park=None)


def delete_defaults(apps, schema_editor):
    apps.get_model("procurement", "MethodRule").objects.filter(park__isnull=True).delete()
    apps.get_model("procurement", "FlagSettings").objects.filter(park__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("procurement", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, delete_defaults)]
