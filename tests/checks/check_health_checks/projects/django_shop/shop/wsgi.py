"""WSGI entry point (gunicorn shop.wsgi:application). The load balancer's
check is answered here, before Django, so it never depends on the database."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.production")

django_app = get_wsgi_application()


def application(environ, start_response):
    if environ.get("PATH_INFO") == "/lb-health":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]
    return django_app(environ, start_response)
