from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("integrity", "0003_collective_decisions")]

    operations = []
