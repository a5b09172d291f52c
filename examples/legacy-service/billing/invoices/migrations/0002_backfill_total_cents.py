# BILL-240: totals move from legacy_total (a decimal) to total_cents.
from django.db import migrations


def backfill_total_cents(apps, schema_editor):
    Invoice = apps.get_model('invoices', 'Invoice')
    for invoice in Invoice.objects.filter(legacy_total__isnull=False):
        invoice.total_cents = int(invoice.legacy_total * 100)
        invoice.save(update_fields=['total_cents'])


class Migration(migrations.Migration):

    dependencies = [
        ('invoices', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(backfill_total_cents),
        migrations.RemoveField(model_name='invoice', name='legacy_total'),
    ]
