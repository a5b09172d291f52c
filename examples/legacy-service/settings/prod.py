"""Production settings: DJANGO_SETTINGS_MODULE=settings.prod."""
import os

from .base import *  # noqa: F401,F403

# BILL-412: switched on to chase the invoice PDF 500s. Switch off again!
DEBUG = True

SECRET_KEY = '#cx*e&fw8us)jo8wl(kyx#vq)mhyh0#rtkm3r+m3)ry4d7emjv'

ALLOWED_HOSTS = ['billing.example.com', 'billing.internal']

DATABASES['default']['HOST'] = 'db-primary.internal'
DATABASES['default']['PASSWORD'] = os.environ['DB_PASSWORD']

EMAIL_HOST = 'smtp.mailgun.org'
EMAIL_HOST_USER = 'postmaster@mg.example.com'
EMAIL_HOST_PASSWORD = 'K4afoOcjNqsEDckqEqNx'

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https')
SECURE_HSTS_SECONDS = 31536000
