"""no-debug-in-production: unit tests through main() on files in tmp_path."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hooks.checks.no_debug_in_production import main
from tests.conftest import HookResult, write_files

DJANGO_PROD = """\
\"\"\"Production settings.\"\"\"
import os

from .base import *  # noqa

DEBUG = True
TEMPLATE_DEBUG = False
ALLOWED_HOSTS = ['billing.example.com']
INSTALLED_APPS += ['debug_toolbar']
MIDDLEWARE = [
    'django.middleware.security.SecurityMiddleware',
    'debug_toolbar.middleware.DebugToolbarMiddleware',
]
LOGGING = {
    'version': 1,
    'root': {'handlers': ['console'], 'level': 'DEBUG'},
    'loggers': {
        'billing': {'handlers': ['console'], 'level': 'INFO'},
        'django.db.backends': {'level': 'DEBUG'},
    },
}
"""

PYRAMID_PRODUCTION_INI = """\
[app:main]
use = egg:billing
pyramid.reload_templates = true
pyramid.debug_authorization = false
pyramid.debug_notfound = TRUE
pyramid.debug_routematch = off
pyramid.includes =
    pyramid_tm
    pyramid_debugtoolbar

[server:main]
use = egg:waitress#main
listen = 0.0.0.0:6543

[loggers]
keys = root, billing

[logger_root]
level = WARN
handlers = console

[logger_billing]
level = DEBUG
handlers =
qualname = billing

[handler_console]
class = StreamHandler
level = NOTSET
"""


def test_django_production_settings(run_hook: Callable[..., HookResult]) -> None:
    code, lines = run_hook("no-debug-in-production", files={"settings/prod.py": DJANGO_PROD}, pass_filenames=True).code_and_lines
    assert code == 1
    assert lines == [
        "settings/prod.py:6:1: no-debug-in-production: DEBUG is True in production config: debug mode must be off",
        "settings/prod.py:9:20: no-debug-in-production: INSTALLED_APPS loads the debug toolbar (debug_toolbar) in production config",
        "settings/prod.py:12:5: no-debug-in-production: MIDDLEWARE loads the debug toolbar "
        "(debug_toolbar.middleware.DebugToolbarMiddleware) in production config",
        "settings/prod.py:16:39: no-debug-in-production: LOGGING[\"root\"][\"level\"] is 'DEBUG' in production config: use INFO or higher",
        "settings/prod.py:19:32: no-debug-in-production: LOGGING[\"loggers\"][\"django.db.backends\"][\"level\"] is 'DEBUG' in production config: "
        "use INFO or higher",
    ]


def test_pyramid_production_ini(run_hook: Callable[..., HookResult]) -> None:
    code, lines = run_hook("no-debug-in-production", files={"production.ini": PYRAMID_PRODUCTION_INI}, pass_filenames=True).code_and_lines
    assert code == 1
    assert lines == [
        "production.ini:3:1: no-debug-in-production: pyramid.reload_templates in [app:main] is true in production config: "
        "debug mode must be off",
        "production.ini:5:1: no-debug-in-production: pyramid.debug_notfound in [app:main] is TRUE in production config: "
        "debug mode must be off",
        "production.ini:7:1: no-debug-in-production: pyramid.includes in [app:main] loads the debug toolbar in production config",
        "production.ini:23:1: no-debug-in-production: level in [logger_billing] is DEBUG in production config: use INFO or higher",
    ]


@pytest.mark.parametrize("name", ["staging.ini", "development.ini", "testing.ini", "app.ini"])
def test_same_ini_in_other_environments_is_never_reported(run_hook: Callable[..., HookResult], name: str) -> None:
    code, lines = run_hook("no-debug-in-production", files={name: PYRAMID_PRODUCTION_INI}, pass_filenames=True).code_and_lines
    assert (code, lines) == (0, [])


@pytest.mark.parametrize(
    "name, text, expected",
    [
        # Every way of writing a true value, in each format.
        (".env.production", "DEBUG=1\n", "DEBUG is 1"),
        (".env.production", 'export DJANGO_DEBUG="True"\n', "DJANGO_DEBUG is \"True\""),
        (".env.production", "FLASK_DEBUG=on\n", "FLASK_DEBUG is on"),
        (".env.production", "FLASK_ENV=development\n", "FLASK_ENV is development in production config: development mode"),
        (".env.production", "LOG_LEVEL=debug\n", "LOG_LEVEL is debug in production config: use INFO or higher"),
        ("config/production.yaml", "app:\n  debug: yes\n", "app.debug is yes"),
        ("config/production.yaml", "service:\n  name: billing\n  debug: true\n", "service.debug is true"),
        ("config/production.yaml", "app:\n  log_level: DEBUG\n", "app.log_level is DEBUG"),
        ("config/production.yaml", "features:\n  debug_toolbar: On\n", "features.debug_toolbar is On"),
        ("config/production.yaml", "logging:\n  root:\n    level: DEBUG\n", "logging.root.level is DEBUG"),
        ("production.ini", "[DEFAULT]\ndebug = true\n", "debug in [DEFAULT] is true"),
        ("production.ini", "[app:main]\nDEBUG = Yes\n", "DEBUG in [app:main] is Yes"),
        ("settings/prod.py", "DEBUG = 1\n", "DEBUG is 1"),
        ("settings/prod.py", "import os\nDEBUG = os.environ.get('DEBUG', 'True')\n",
         "DEBUG falls back to 'True' when the environment does not set it"),
        ("settings/prod.py", "import os\nDEBUG = os.getenv('DEBUG', 'true').lower() == 'true'\n", "falls back to 'true'"),
        ("settings/prod.py", "import environ\nenv = environ.Env()\nDEBUG = env.bool('DJANGO_DEBUG', default=True)\n",
         "DEBUG falls back to 'true'"),
        ("config/production.yaml", "app:\n  debug: ${DEBUG:-true}\n", "app.debug falls back to 'true'"),
        ("settings/prod.py", "INSTALLED_APPS = BASE_APPS + ['debug_toolbar']\n", "INSTALLED_APPS adds the debug toolbar"),
        ("deploy/prod/app.yaml", "env:\n  - name: DEBUG\n    value: \"true\"\n", "DEBUG in env[0] is true in production config"),
        ("docker-compose.production.yml", "services:\n  web:\n    environment:\n      - DJANGO_DEBUG=True\n",
         "DJANGO_DEBUG=True in services.web.environment turns debug mode on"),
        ("values-production.yaml", "app:\n  debug: 1\n", "app.debug is 1"),
    ],
)
def test_debug_on_in_production_is_reported(run_hook: Callable[..., HookResult], name: str, text: str, expected: str) -> None:
    code, lines = run_hook("no-debug-in-production", files={name: text}, pass_filenames=True).code_and_lines
    assert code == 1, lines
    assert len(lines) == 1 and lines[0].startswith(f"{name}:") and expected in lines[0], lines


@pytest.mark.parametrize(
    "name, text",
    [
        (".env.production", "DEBUG=0\nDJANGO_DEBUG=False\nFLASK_DEBUG=off\nFLASK_ENV=production\nLOG_LEVEL=INFO\n"),
        (".env.production", "DEBUG=${DEBUG}\nTEMPLATE_DEBUG=\n"),
        ("config/production.yaml", "app:\n  debug: false\n  log_level: INFO\nfeatures:\n  debug_toolbar: no\n"),
        ("config/production.yaml", "app:\n  debug: ${DEBUG}\n  debug_sql_echo: true\n  description: debug\n"),
        ("settings/prod.py", "import os\nDEBUG = os.environ.get('DEBUG')\n"),
        ("settings/prod.py", "import os\nDEBUG = os.environ.get('DEBUG', 'False') == 'True'\n"),
        ("settings/prod.py", "DEBUG = False\nINSTALLED_APPS = ['django.contrib.admin']\nDEBUG_TOOLBAR_CONFIG = {'x': 1}\n"),
        ("production.ini", "[app:main]\npyramid.reload_templates = false\npyramid.debug_all = 0\n"
                           "[handler_console]\nlevel = DEBUG\n"),
        # Not production: staging, development, test and base files are never read.
        ("settings/staging.py", "DEBUG = True\n"),
        ("settings/dev.py", "DEBUG = True\n"),
        ("settings/base.py", "DEBUG = True\n"),
        (".env.staging", "DEBUG=1\n"),
        ("config/development.yaml", "app:\n  debug: true\n"),
        ("docker-compose.yml", "services:\n  web:\n    environment:\n      - DEBUG=True\n"),
        ("values-staging.yaml", "app:\n  log_level: DEBUG\n"),
        # The file name decides before its folders: this is a staging file.
        ("deploy/prod/values-staging.yaml", "debug: true\n"),
        # Broken but not production: not this hook's business.
        ("config/staging.yaml", "a: [\n"),
    ],
)
def test_nothing_reported(run_hook: Callable[..., HookResult], name: str, text: str) -> None:
    code, lines = run_hook("no-debug-in-production", files={name: text}, pass_filenames=True).code_and_lines
    assert (code, lines) == (0, [])


FLASK_CONFIG = """\
import os


class Config:
    DEBUG = False
    SECRET_KEY = os.environ.get('SECRET_KEY')


class DevelopmentConfig(Config):
    DEBUG = True


class TestingConfig(Config):
    TESTING = True
    DEBUG = True


class ProductionConfig(Config):
    DEBUG = True
    LOG_LEVEL = 'INFO'


class ProdConfig(Config):
    FLASK_ENV = 'development'
"""


def test_flask_production_config_class_in_a_file_with_no_environment(run_hook: Callable[..., HookResult]) -> None:
    code, lines = run_hook("no-debug-in-production", files={"config.py": FLASK_CONFIG}, pass_filenames=True).code_and_lines
    assert code == 1
    assert lines == [
        "config.py:19:5: no-debug-in-production: ProductionConfig.DEBUG is True in production config: debug mode must be off",
        "config.py:24:5: no-debug-in-production: ProdConfig.FLASK_ENV is 'development' in production config: "
        "development mode runs the debugger",
    ]


def test_development_class_in_a_production_file_is_skipped(run_hook: Callable[..., HookResult]) -> None:
    text = "DEBUG = False\n\nclass DevelopmentConfig:\n    DEBUG = True\n\nclass Settings:\n    DEBUG = True\n"
    code, lines = run_hook("no-debug-in-production", files={"config/production.py": text}, pass_filenames=True).code_and_lines
    assert code == 1
    assert [line.split(": ", 1)[0] for line in lines] == ["config/production.py:7:5"]


def test_extra_key_and_inline_suppression(run_hook: Callable[..., HookResult]) -> None:
    text = (
        "SQLALCHEMY_ECHO=true\n"
        "PROFILER=true\n"
        "DEBUG=1  # legacy-config: ignore[no-debug-in-production]\n"
        "# legacy-config: ignore[no-debug-in-production]\n"
        "TEMPLATE_DEBUG=1\n"
    )
    code, lines = run_hook("no-debug-in-production", "--key", "sqlalchemy_echo", files={".env.production": text}, pass_filenames=True).code_and_lines
    assert code == 1
    assert lines == [".env.production:1:1: no-debug-in-production: SQLALCHEMY_ECHO is true in production config: "
                     "debug mode must be off"]


def test_extra_key_from_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    files = {
        "pyproject.toml": '[tool.legacy-config-hooks]\ndebug-keys = ["profiler"]\n',
        "config/production.yaml": "app:\n  profiler: true\n",
    }
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, files)
    assert main(["config/production.yaml"]) == 1
    assert "app.profiler is true" in capsys.readouterr().out


def test_broken_production_file_is_left_to_no_duplicate_config_keys(run_hook: Callable[..., HookResult]) -> None:
    # A broken file is reported once, by no-duplicate-config-keys (issue 11).
    code, lines = run_hook("no-debug-in-production", files={"config/production.yaml": "app:\n  debug: [true\n"}, pass_filenames=True).code_and_lines
    assert (code, lines) == (0, [])


def test_corpus_runs_without_a_traceback(capsys: pytest.CaptureFixture) -> None:
    from tests.conftest import CORPUS

    if not CORPUS.is_dir():
        pytest.skip("no shared corpus")
    files: list[str] = sorted(str(p) for p in CORPUS.rglob("*") if p.is_file())
    assert main(files) in (0, 1)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err


@pytest.mark.parametrize(
    "name, text, expected",
    [
        ("settings/prod.py", "import logging\nLOG_LEVEL = logging.DEBUG\n", "LOG_LEVEL is DEBUG in production config"),
        ("settings/prod.py", "from .base import *\nINSTALLED_APPS.append('debug_toolbar')\n",
         "settings/prod.py:2:1: no-debug-in-production: INSTALLED_APPS loads the debug toolbar"),
        ("settings/prod.py", "TEMPLATES = [{'OPTIONS': {'debug': True}}]\n", 'TEMPLATES[0]["OPTIONS"]["debug"] is True'),
        ("production.ini", "[app:main]\nuse = egg:billing\nset debug = true\n", "set debug in [app:main] is true"),
        ("config/production.toml", "[app]\ndebug = true\n", "app.debug is true"),
        ("config/production.json", '{"app": {"debug": true}}', "app.debug is true"),
        ("traefik/production.yml", "log:\n  level: DEBUG\n", "log.level is DEBUG"),
        ("config/production.py", "class Config:\n    ENV = 'development'\n", "Config.ENV is 'development'"),
    ],
)
def test_more_ways_to_turn_debug_on(run_hook: Callable[..., HookResult], name: str, text: str, expected: str) -> None:
    code, lines = run_hook("no-debug-in-production", files={name: text}, pass_filenames=True).code_and_lines
    assert code == 1, lines
    assert len(lines) == 1 and expected in lines[0], lines


def test_a_users_invalid_escape_warns_nobody(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    # ast.parse warns about "\." in the user's module (a SyntaxWarning on stderr
    # from Python 3.12): their code's business, not noise in our output.
    import warnings

    write_files(tmp_path, {"settings/production.py": 'import re\nHOSTS = re.compile("\\.example\\.com")\nDEBUG = True\n'})
    monkeypatch.chdir(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning that escapes fails the run
        assert main(["settings/production.py"]) == 1
    out, err = capsys.readouterr()
    assert out.startswith("settings/production.py:3:")
    assert "Warning" not in err


def test_key_matching_agrees_with_the_glob_definition() -> None:
    """matches() is tuned (one regex for one-part patterns): it must answer as
    the plain definition does, for every table and for mixed-case paths."""
    import itertools
    from fnmatch import fnmatchcase

    from hooks.checks.no_debug_in_production import debug_keys, matches

    def plain(parts: list[str], patterns: tuple[tuple[str, ...], ...]) -> bool:
        low = [p.lower() for p in parts]
        return any(len(p) <= len(low) and all(fnmatchcase(x, g.lower()) for x, g in zip(low[-len(p):], p))
                   for p in patterns if p)

    tables = [debug_keys.FLAG_KEYS, debug_keys.ENVIRONMENT_KEYS, debug_keys.LOG_LEVEL_KEYS, debug_keys.APP_LIST_KEYS,
              debug_keys.FLAG_KEYS + (("Celery", "Debug*"),)]
    words = ["DEBUG", "debug", "Logging", "level", "root", "loggers", "django", "logger_app", "x_LOG_LEVEL",
             "pyramid.debug_all", "ENV", "flask_env", "app", "Installed_Apps", "root_level", "debug_toolbar", "celery"]
    for table in tables:
        for n in (1, 2, 3):
            for parts in itertools.product(words, repeat=n):
                assert matches(list(parts), table) == plain(list(parts), table), (parts, table)
    assert matches(["app", "debug"], [["debug"]])  # lists work too (not hashable)


QUICKSTART_SETTINGS = (
    '"""Quick-start development settings - unsuitable for production."""\n'
    "SECRET_KEY = 'demo'\nDEBUG = True\nTEMPLATE_DEBUG = True\nALLOWED_HOSTS = []\nINSTALLED_APPS = ['django.contrib.admin']\n"
)


@pytest.mark.parametrize(
    "files",
    [
        pytest.param({"deploy-tour/Vagrantfile": "Vagrant.configure('2') do |c| end\n",
                      "deploy-tour/demo_run.sh": "#!/bin/sh\npython mysite/manage.py runserver\n",
                      "deploy-tour/mysite/mysite/settings.py": QUICKSTART_SETTINGS}, id="folder-with-vagrantfile-and-demo-script"),
        pytest.param({"quickstart/mysite/settings.py": QUICKSTART_SETTINGS}, id="quickstart-folder"),
        pytest.param({"demo-site/mysite/settings.py": QUICKSTART_SETTINGS}, id="demo-word-in-folder-name"),
    ],
)
def test_a_quickstart_demo_project_is_not_the_only_settings_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, files: dict[str, str]
) -> None:
    # held-out round (first wave) 3: a quickstart tutorial's Django project (its own
    # Vagrantfile and demo_run.sh) is a demo, not what production runs.
    write_files(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    settings = next(name for name in files if name.endswith("settings.py"))
    assert main([settings]) == 0
    assert "DEBUG" not in capsys.readouterr().out


def test_the_deployed_single_settings_module_is_still_production(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    # A Vagrantfile at the repository root is the service's dev VM: it makes the
    # service's one settings module no demo.
    write_files(tmp_path, {"Vagrantfile": "Vagrant.configure('2') do |c| end\n",
                           "deploy-tour/Vagrantfile": "Vagrant.configure('2') do |c| end\n",
                           "deploy_board/deploy_board/settings.py": QUICKSTART_SETTINGS})
    monkeypatch.chdir(tmp_path)
    assert main(["deploy_board/deploy_board/settings.py"]) == 1
    out = capsys.readouterr().out
    assert "deploy_board/deploy_board/settings.py:3:1: no-debug-in-production: DEBUG is True" in out
