from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("procurement", "0003_suppliers_tenders")]

    operations = []
