"""Invoices and the public price list of the billing admin site."""
