from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("procurement", "0006_red_flags")]

    operations = []
