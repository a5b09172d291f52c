"""ROOT_URLCONF of the Django admin (settings/base.py)."""
from django.urls import include, path

urlpatterns = [
    path('', include('billing.invoices.urls')),
]
