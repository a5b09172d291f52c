from django.urls import path
from django.views.decorators.cache import cache_page

from billing.invoices import views

urlpatterns = [
    path('prices/', views.price_list, name='price-list'),
    path('prices/<currency>/', views.price_list, name='price-list-currency'),
    path('invoices/<number>/', views.invoice_detail, name='invoice-detail'),
    # cache-rule: status-page
    path('status/', cache_page(60)(views.StatusView.as_view()), name='status'),
]
