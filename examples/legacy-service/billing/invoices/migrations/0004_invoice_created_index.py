# BILL-257: the same kind of index, built the way production can take it.
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):

    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ('invoices', '0003_invoice_number_search'),
    ]

    operations = [
        migrations.AddField(
            model_name='invoice',
            name='paid_at',
            field=models.DateTimeField(null=True, blank=True),
        ),
        AddIndexConcurrently(
            model_name='invoice',
            index=models.Index(fields=['paid_at'], name='invoice_paid_at_idx'),
        ),
    ]
