"""Production: what the pods run (DJANGO_SETTINGS_MODULE=shop.settings.production)."""
from .base import *  # noqa: F401,F403

DEBUG = False
ALLOWED_HOSTS = ["shop.example.com", ".shop.internal"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
