from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("procurement", "0002_default_rules")]

    operations = []
