from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("procurement", "0005_evaluation_award")]

    operations = []
