"""Staging settings: DJANGO_SETTINGS_MODULE=settings.staging."""
import os

from .base import *  # noqa: F401,F403

DEBUG = os.environ.get('DEBUG', 'False') == 'True'

SECRET_KEY = os.environ['DJANGO_SECRET_KEY']

ALLOWED_HOSTS = ['billing.staging.example.com']

DATABASES['default']['HOST'] = 'db-staging.internal'
DATABASES['default']['PASSWORD'] = os.environ['DB_PASSWORD']

EMAIL_HOST = 'smtp.mailgun.org'
EMAIL_HOST_USER = 'postmaster@mg-staging.example.com'
EMAIL_HOST_PASSWORD = os.environ.get('EMAIL_HOST_PASSWORD', '')

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https')
