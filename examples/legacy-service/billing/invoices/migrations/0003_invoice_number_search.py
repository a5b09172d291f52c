# BILL-251: "invoice search is slow": index the customer reference, and make
# room for totals above 21 million euros.
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('invoices', '0002_backfill_total_cents'),
    ]

    operations = [
        migrations.AddField(
            model_name='invoice',
            name='customer_ref',
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.AddIndex(
            model_name='invoice',
            index=models.Index(fields=['customer_ref'], name='invoice_customer_ref_idx'),
        ),
        migrations.AlterField(
            model_name='invoice',
            name='total_cents',
            field=models.BigIntegerField(default=0),
        ),
    ]
