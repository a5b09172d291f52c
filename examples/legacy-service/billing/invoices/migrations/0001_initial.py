from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name='Invoice',
            fields=[
                ('id', models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.CharField(max_length=32, unique=True)),
                ('total_cents', models.IntegerField(default=0)),
                ('legacy_total', models.DecimalField(decimal_places=2, max_digits=12, null=True)),
            ],
        ),
    ]
