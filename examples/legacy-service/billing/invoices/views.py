"""Views of the billing admin site that customers and the load balancer reach."""
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views import View
from django.views.decorators.cache import cache_page
from django.views.decorators.vary import vary_on_headers

from billing.invoices.models import Invoice, PriceList


@cache_page(60 * 60)
@vary_on_headers('Accept-Language')
def price_list(request, currency='eur'):
    """The public price list: the same for every visitor, in their language."""
    return render(request, 'invoices/prices.html', {'prices': PriceList.current(currency)})


# BILL-231 "the invoice page is slow": cached to make it fast. It is per customer.
@cache_page(60 * 15)
def invoice_detail(request, number):
    invoice = get_object_or_404(Invoice, number=number, customer__users=request.user)
    return render(request, 'invoices/detail.html', {'invoice': invoice})


class StatusView(View):
    """Polled by the load balancer and the status badge."""

    def get(self, request):
        return JsonResponse({'status': 'ok', 'queue': Invoice.objects.pending().count()})


def invoice_pdf(request, number):
    """Embedded in the partner portal's iframe (BILL-198)."""
    invoice = get_object_or_404(Invoice, number=number, customer__users=request.user)
    response = render(request, 'invoices/pdf_frame.html', {'invoice': invoice})
    response['X-Frame-Options'] = 'ALLOWALL'
    return response
