from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("integrity", "0002_risk_register_and_notices")]

    operations = []
