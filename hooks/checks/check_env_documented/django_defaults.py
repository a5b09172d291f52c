"""Django settings whose own default is None or ``''``: unset is Django's default.

``EMAIL_SSL_KEYFILE = os.getenv("EMAIL_SSL_KEYFILE")`` in a Django settings
module gives the setting None when the variable is unset, which is the value
Django would use had the module not named it (``django/conf/global_settings.py``):
the variable is an optional knob, as if read with a default (held-out round 17:
export-wins-data's client-certificate SMTP files).

The table is ``global_settings.py``'s module-level names assigned None or
``''``, less the ones Django refuses to run with at that value (:data:`REFUSED`).
A test compares it with the installed Django's ``global_settings.py`` (read with
``ast``), so it cannot drift; the hook never needs Django installed.
"""
from __future__ import annotations

# Names global_settings.py sets to None or '' (Django 5.2) that a project may leave unset.
UNSET_IS_DEFAULT = frozenset({
    "CACHE_MIDDLEWARE_KEY_PREFIX", "CSRF_COOKIE_DOMAIN", "DEFAULT_INDEX_TABLESPACE", "DEFAULT_TABLESPACE",
    "EMAIL_HOST_PASSWORD", "EMAIL_HOST_USER", "EMAIL_SSL_CERTFILE", "EMAIL_SSL_KEYFILE", "EMAIL_TIMEOUT",
    "FILE_UPLOAD_DIRECTORY_PERMISSIONS", "FILE_UPLOAD_TEMP_DIR", "FORCE_SCRIPT_NAME", "FORMAT_MODULE_PATH",
    "LANGUAGE_COOKIE_AGE", "LANGUAGE_COOKIE_DOMAIN", "LANGUAGE_COOKIE_SAMESITE", "LOGOUT_REDIRECT_URL",
    "MEDIA_ROOT", "MEDIA_URL", "SECURE_PROXY_SSL_HEADER", "SECURE_SSL_HOST", "SESSION_COOKIE_DOMAIN",
    "SESSION_FILE_PATH", "WSGI_APPLICATION",
})

# Names global_settings.py sets to None or '' that Django refuses at that value: unset breaks the service.
REFUSED = {
    "SECRET_KEY": "django.conf raises ImproperlyConfigured: the SECRET_KEY setting must not be empty",
    "STATIC_URL": "django.contrib.staticfiles raises ImproperlyConfigured without it",
    "STATIC_ROOT": "collectstatic, which a deploy runs, raises ImproperlyConfigured without it",
}
