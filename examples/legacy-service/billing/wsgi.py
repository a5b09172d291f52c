"""WSGI entry point for the Django admin (uwsgi.ini: module = billing.wsgi:application)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'settings.prod')

application = get_wsgi_application()
