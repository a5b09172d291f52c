"""The settings that turn on debug mode in production, as data in one place.

``no-debug-in-production`` reads these tables and nothing else; its docs page
(docs/hooks/no-debug-in-production.md) lists them, and ``--key GLOB`` adds
names to :data:`FLAG_KEYS`.

Every pattern is a tuple of globs matched, case-insensitively, against the last
parts of a key path: ``("debug",)`` matches ``DEBUG``, ``app.debug`` and
``ProductionConfig.DEBUG``; ``("loggers", "*", "level")`` matches
``LOGGING.loggers.django.level``. An INI option keeps its dots in one part
(``pyramid.reload_templates``), a section is the part before it
(``[logger_root] level`` is ``("logger_root", "level")``).
"""
from __future__ import annotations

# A true value turns debug mode on.
FLAG_KEYS = (
    ("debug",),  # Django, Flask, Paste [DEFAULT], `debug: true` in app/service settings
    ("template_debug",),  # Django < 1.8
    ("django_debug",),  # cookiecutter-django
    ("flask_debug",),  # Flask CLI
    ("debug_mode",),
    ("set debug",),  # PasteDeploy: `set debug = true` in [app:main] overrides [DEFAULT]
    ("pyramid.debug_*",),  # debug_authorization, debug_notfound, debug_routematch, debug_templates, debug_all
    ("pyramid.reload_templates",),
    ("pyramid.reload_all",),
    # Pyramid accepts its settings without the prefix too.
    ("debug_authorization",),
    ("debug_notfound",),
    ("debug_routematch",),
    ("debug_templates",),
    ("debug_all",),
    ("reload_templates",),
    ("reload_all",),
    # Debug toolbars switched on by a setting.
    ("debug_toolbar",),
    ("debug_toolbar_enabled",),
    ("enable_debug_toolbar",),
    ("show_debug_toolbar",),
    ("debug_tb_enabled",),  # Flask-DebugToolbar
)

# The value names a development environment.
ENVIRONMENT_KEYS = (("flask_env",), ("env",))  # Flask's ENV setting
DEVELOPMENT_VALUES = frozenset({"development", "dev"})

# The value is the DEBUG log level: service log levels, the root logger, and
# every named logger of a logging config (dictConfig, fileConfig .ini).
LOG_LEVEL_KEYS = (
    ("log_level",),
    ("*_log_level",),  # DJANGO_LOG_LEVEL, CELERY_LOG_LEVEL, ...
    ("loglevel",),
    ("*_loglevel",),
    ("log-level",),
    ("*-log-level",),
    ("log", "level"),  # log: {level: debug}
    ("logger", "level"),
    ("root", "level"),  # dictConfig
    ("loggers", "*", "level"),  # dictConfig
    ("logger_*", "level"),  # fileConfig [logger_root], [logger_myapp]
    ("logging", "level"),  # logging: {level: DEBUG}
    ("logging", "level", "*"),  # Spring-style logging.level.root
)
DEBUG_LEVEL = "debug"  # also logging.DEBUG in Python

# Lists that load a debug toolbar when one of their items names it.
APP_LIST_KEYS = (
    ("installed_apps",),
    ("middleware",),
    ("middleware_classes",),
    ("pyramid.includes",),  # an INI value, one include per line
)
TOOLBAR_NAMES = ("debug_toolbar", "debugtoolbar")

# How a true value is written: Python True, YAML true, INI/dotenv words, any case.
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
