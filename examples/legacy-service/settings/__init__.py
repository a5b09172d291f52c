# Split settings: pick one with DJANGO_SETTINGS_MODULE=settings.prod|settings.staging.
