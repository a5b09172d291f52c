"""rename-legacy-keys: findings, exact fixes per format, and the fix guarantees."""
from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Union

import pytest

from tests.conftest import HookResult

Content = Union[str, bytes]


def write(root: Path, files: dict[str, Content]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode("utf-8")
        path.write_bytes(content)




@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("LEGACY_CONFIG_HOOKS_FORMAT", "LEGACY_CONFIG_HOOKS_BASELINE", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


# -- paired fixes: input, exact expected output ------------------------------

YAML_IN = """\
# billing: cache and feature flags
defaults: &defaults
  timeout: 30   # seconds
  retries: 3
cache:
  <<: *defaults
  backend: redis
  timeout: 300  # the legacy name, read by billing < 4
  hosts: [cache-1, cache-2]   # flow list
  'quoted.key': keep
flags: {verbose: true, new_pdf: false}
"""
YAML_OUT = YAML_IN.replace("  timeout: 300", "  ttl: 300").replace("{verbose:", "{debug:")

INI_IN = """\
###
# app configuration
# https://docs.pylonsproject.org/projects/pyramid/en/latest/narr/environment.html
###

[app:main]
use = egg:billing
pyramid.reload_templates = false
sqlalchemy.url = postgresql://billing@db/billing
; recycle connections after an hour
sqlalchemy.pool_recycle = 3600

[server:main]
use = egg:waitress#main
listen = localhost:6543
"""
INI_OUT = INI_IN.replace("sqlalchemy.pool_recycle =", "sqlalchemy.recycle_seconds =").replace(
    "pyramid.reload_templates =", "pyramid.reload_assets ="
)

DOTENV_IN = """\
# production environment
export DJANGO_SETTINGS_MODULE=billing.settings.prod
export CELERY_WORKERS="4"  # per pod
'LEGACY_TOKEN_TTL'=3600
OTHER='a b # not a comment'
"""
DOTENV_OUT = DOTENV_IN.replace("CELERY_WORKERS", "CELERY_CONCURRENCY").replace("LEGACY_TOKEN_TTL", "TOKEN_TTL")

DJANGO_IN = """\
import os

from .base import *  # noqa: F401,F403

DEBUG = False
SESSION_COOKIE_AGE_SECONDS = 60 * 60 * 24 * 14  # two weeks
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "TIMEOUT": 300,  # seconds
    },
}
"""
DJANGO_OUT = DJANGO_IN.replace("SESSION_COOKIE_AGE_SECONDS =", "SESSION_COOKIE_AGE =").replace(
    '"TIMEOUT"', '"DEFAULT_TIMEOUT"'
)

TOML_IN = """\
# celery worker
[worker]
concurrency = 4  # per pod
"prefetch-multiplier" = 1

[broker]
url = "amqp://billing@rabbitmq/billing"
pool.limit = 10
"""
TOML_OUT = TOML_IN.replace("concurrency =", "processes =").replace('"prefetch-multiplier"', '"prefetch-count"').replace(
    "pool.limit", "pool.size"
)

JSON_IN = '{\n  "flags": {"new_invoice_pdf": true, "legacy_export": false},\n  "legacy_export": 1\n}\n'
JSON_OUT = '{\n  "flags": {"new_invoice_pdf": true, "csv_export": false},\n  "legacy_export": 1\n}\n'

PROPERTIES_IN = """\
# consumer
bootstrap.servers=kafka-1:9092,\\
    kafka-2:9092
session.timeout.ms = 10000
max.poll.records: 500
"""
PROPERTIES_OUT = PROPERTIES_IN.replace("session.timeout.ms", "session.timeout.millis")

PAIRS = {
    "yaml": (
        "config/production.yaml",
        "renamed:\n  cache.timeout: cache.ttl\n  flags.verbose: flags.debug\n",
        YAML_IN,
        YAML_OUT,
    ),
    "ini": (
        "production.ini",
        'renamed:\n  ["app:main", "sqlalchemy.pool_recycle"]: ["app:main", "sqlalchemy.recycle_seconds"]\n'
        "  app:main.pyramid.reload_templates: app:main.pyramid.reload_assets\n",
        INI_IN,
        INI_OUT,
    ),
    "dotenv": (
        ".env.production",
        "renamed:\n  CELERY_WORKERS: CELERY_CONCURRENCY\n  LEGACY_TOKEN_TTL: TOKEN_TTL\n",
        DOTENV_IN,
        DOTENV_OUT,
    ),
    "django": (
        "settings/prod.py",
        "renamed:\n  SESSION_COOKIE_AGE_SECONDS: SESSION_COOKIE_AGE\n  CACHES.default.TIMEOUT: CACHES.default.DEFAULT_TIMEOUT\n",
        DJANGO_IN,
        DJANGO_OUT,
    ),
    "toml": (
        "config/celery.toml",
        'renamed:\n  worker.concurrency: worker.processes\n  worker.prefetch-multiplier: worker.prefetch-count\n'
        "  broker.pool.limit: broker.pool.size\n",
        TOML_IN,
        TOML_OUT,
    ),
    "json": ("config/features.json", "renamed:\n  flags.legacy_export: flags.csv_export\n", JSON_IN, JSON_OUT),
    "properties": (
        "conf/kafka.properties",
        "renamed:\n  session.timeout.ms: session.timeout.millis\n",
        PROPERTIES_IN,
        PROPERTIES_OUT,
    ),
}


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_fix_renames_only_the_key_and_a_second_run_is_clean(run_hook: Callable[..., HookResult], repo: Path, capsys, name: str) -> None:
    path, mapping, before, after = PAIRS[name]
    write(repo, {path: before, ".legacy-keys.yaml": mapping})
    code, out, err = run_hook("rename-legacy-keys", path)
    assert code == 1
    assert "is deprecated; rename it to" in out and "(run with --fix)" in out, out
    assert (repo / path).read_text() == before  # reporting never writes

    code, out, err = run_hook("rename-legacy-keys", "--fix", path)
    assert (code, out) == (1, ""), out + err
    assert (repo / path).read_text() == after
    assert "renamed" in err

    code, out, err = run_hook("rename-legacy-keys", "--fix", path)
    assert (code, out, err) == (0, "", "")
    assert (repo / path).read_text() == after


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_no_op_leaves_the_file_byte_identical(run_hook: Callable[..., HookResult], repo: Path, capsys, name: str) -> None:
    path, _, before, _ = PAIRS[name]
    data = before.replace("\n", "\r\n").encode("utf-8")
    write(repo, {path: data, ".legacy-keys.yaml": "renamed:\n  not.there: not.here\n  NOT_THERE: NOT_HERE\n"})
    assert run_hook("rename-legacy-keys", "--fix", path) == (0, "", "")
    assert (repo / path).read_bytes() == data


def test_report_lines_name_the_key_and_its_position(run_hook: Callable[..., HookResult], repo: Path, capsys) -> None:
    write(
        repo,
        {
            ".legacy-keys.yaml": "renamed:\n  cache.timeout: cache.ttl\nremoved:\n"
            '  celery.always_eager: "removed in billing 4.0: tasks always run on the worker"\n  OLD_FLAG:\n',
            "config/production.yaml": "app:\n  name: billing\ncache:\n  timeout: 300\ncelery:\n  always_eager: true\n",
            ".env": "OLD_FLAG=1\n",
        },
    )
    code, out, _ = run_hook("rename-legacy-keys", "config/production.yaml", ".env")
    assert code == 1
    assert out.splitlines() == [
        ".env:1:1: rename-legacy-keys: OLD_FLAG is removed; delete it",
        "config/production.yaml:4:3: rename-legacy-keys: cache.timeout is deprecated; rename it to cache.ttl (run with --fix)",
        "config/production.yaml:6:3: rename-legacy-keys: celery.always_eager is removed: "
        "removed in billing 4.0: tasks always run on the worker",
    ]
    code, out, _ = run_hook("rename-legacy-keys", "--fix", "config/production.yaml")
    assert code == 1
    text = (repo / "config/production.yaml").read_text()
    assert "  always_eager: true" in text and "  ttl: 300" in text  # removed keys are never deleted
    assert "always_eager" in out and "cache.timeout" not in out


# -- YAML moves ----------------------------------------------------------------

MOVE_IN = """\
database:
  # primary, behind pgbouncer
  host: db-1.internal  # BILL-12
  port: 5432
cache:
  backend: redis
"""


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param(
            MOVE_IN,
            "database:\n  port: 5432\ncache:\n  backend: redis\ndb:\n  # primary, behind pgbouncer\n"
            "  host: db-1.internal  # BILL-12\n",
            id="parent-created",
        ),
        pytest.param(
            MOVE_IN + "db:\n  name: billing\n\n# end\n",
            "database:\n  port: 5432\ncache:\n  backend: redis\ndb:\n  name: billing\n  # primary, behind pgbouncer\n"
            "  host: db-1.internal  # BILL-12\n\n# end\n",
            id="existing-parent",
        ),
        pytest.param(
            MOVE_IN.replace("\n", "\r\n").rstrip("\r\n"),
            "database:\r\n  port: 5432\r\ncache:\r\n  backend: redis\r\ndb:\r\n  # primary, behind pgbouncer\r\n"
            "  host: db-1.internal  # BILL-12",
            id="crlf-no-final-newline",
        ),
    ],
)
def test_yaml_move_goes_under_the_new_parent_with_its_comments(run_hook: Callable[..., HookResult], repo: Path, capsys, before: str, after: str) -> None:
    write(repo, {"app.yaml": before.encode(), ".legacy-keys.yaml": "renamed:\n  database.host: db.host\n"})
    code, _, _ = run_hook("rename-legacy-keys", "--fix", "app.yaml")
    assert code == 1
    assert (repo / "app.yaml").read_bytes() == after.encode()
    assert run_hook("rename-legacy-keys", "--fix", "app.yaml") == (0, "", "")


@pytest.mark.parametrize(
    "text, target, reason",
    [
        ("database:\n  host: &h db-1\n  port: 1\nreplica:\n  host: *h\n", "zdb.host", "would not parse"),
        ("database:\n  host: db-1\n", "db.host", "would leave database empty"),
        ("database: {host: db-1, port: 1}\n", "db.host", "not a block mapping key"),
        ("database:\n  host: db-1\n  port: 1\ndb: [a, b]\n", "db.host", "not a block mapping to move it into"),
        ("database:\n  host: |\n    db-1\n  port: 1\n", "db.host", "value is on its own line"),
    ],
)
def test_yaml_move_that_cannot_be_exact_is_reported_not_written(run_hook: Callable[..., HookResult],
    repo: Path, capsys, text: str, target: str, reason: str
) -> None:
    write(repo, {"app.yaml": text, ".legacy-keys.yaml": f"renamed:\n  database.host: {target}\n"})
    code, out, _ = run_hook("rename-legacy-keys", "--fix", "app.yaml")
    assert code == 1
    assert f"rename it to {target} by hand" in out and reason in out, out
    assert (repo / "app.yaml").read_text() == text


# -- what is not fixed ---------------------------------------------------------


def test_conflict_names_both_lines_and_fixes_nothing(run_hook: Callable[..., HookResult], repo: Path, capsys) -> None:
    text = "cache:\n  ttl: 60\n  backend: redis\n  timeout: 300\n"
    write(repo, {"app.yaml": text, ".legacy-keys.yaml": "renamed:\n  cache.timeout: cache.ttl\n"})
    code, out, _ = run_hook("rename-legacy-keys", "--fix", "app.yaml")
    assert code == 1
    assert out == (
        "app.yaml:4:3: rename-legacy-keys: cache.timeout is deprecated, but cache.ttl is already set on line 2; "
        "merge the two by hand\n"
    )
    assert (repo / "app.yaml").read_text() == text


def test_dotted_path_matching_two_keys_is_ambiguous(run_hook: Callable[..., HookResult], repo: Path, capsys) -> None:
    text = 'a:\n  "b.c": 1\n"a.b":\n  c: 2\n'
    write(repo, {"app.yaml": text, ".legacy-keys.yaml": "renamed:\n  a.b.c: a.b.d\n"})
    code, out, _ = run_hook("rename-legacy-keys", "--fix", "app.yaml")
    assert code == 1
    assert out.count("a.b.c is ambiguous here: it matches") == 2, out
    assert '["a", "b.c"] (line 2)' in out and '["a.b", "c"] (line 4)' in out
    assert (repo / "app.yaml").read_text() == text
    # The list form names one of them exactly.
    write(repo, {".legacy-keys.yaml": 'renamed:\n  ["a", "b.c"]: ["a", "b.d"]\n'})
    assert run_hook("rename-legacy-keys", "--fix", "app.yaml")[0] == 1
    assert (repo / "app.yaml").read_text() == text.replace('"b.c"', '"b.d"')


def test_ini_move_across_sections_is_not_auto_fixable(run_hook: Callable[..., HookResult], repo: Path, capsys) -> None:
    text = "[celery]\nalways_eager = true\nbroker = amqp://\n"
    write(repo, {"app.ini": text, ".legacy-keys.yaml": "renamed:\n  celery.always_eager: worker.eager\n"})
    code, out, _ = run_hook("rename-legacy-keys", "--fix", "app.ini")
    assert code == 1
    assert "app.ini:2:1: rename-legacy-keys: celery.always_eager is deprecated; rename it to worker.eager by hand: " \
           "it moves to another [section]" in out
    assert (repo / "app.ini").read_text() == text


def test_settings_module_reading_the_old_name_is_left_to_a_person(run_hook: Callable[..., HookResult], repo: Path, capsys) -> None:
    text = "OLD_TTL = 60\nCACHE_TTL = OLD_TTL * 2\n"
    write(repo, {"settings.py": text, ".legacy-keys.yaml": "renamed:\n  OLD_TTL: NEW_TTL\n"})
    code, out, _ = run_hook("rename-legacy-keys", "--fix", "settings.py")
    assert code == 1
    assert "by hand: the module also uses OLD_TTL on line 2" in out
    assert (repo / "settings.py").read_text() == text


def test_settings_reads_in_code_are_reported_never_rewritten(run_hook: Callable[..., HookResult], repo: Path, capsys) -> None:
    code_text = (
        "from django.conf import settings\n\n"
        "def age():\n"
        "    return settings.SESSION_COOKIE_AGE_SECONDS + getattr(settings, 'CELERY_ALWAYS_EAGER', 0)\n"
        "TIMEOUT = 3  # not a settings module: never renamed\n"
    )
    write(
        repo,
        {
            "billing/views.py": code_text,
            ".legacy-keys.yaml": "renamed:\n  SESSION_COOKIE_AGE_SECONDS: SESSION_COOKIE_AGE\n  TIMEOUT: TTL\n"
            "removed:\n  CELERY_ALWAYS_EAGER: gone in 4.0\n",
        },
    )
    code, out, _ = run_hook("rename-legacy-keys", "--fix", "billing/views.py")
    assert code == 1
    assert out.splitlines() == [
        "billing/views.py:4:21: rename-legacy-keys: reads SESSION_COOKIE_AGE_SECONDS, a deprecated setting; "
        "read SESSION_COOKIE_AGE instead (code is never changed by --fix)",
        "billing/views.py:4:68: rename-legacy-keys: reads CELERY_ALWAYS_EAGER, a removed setting: gone in 4.0 "
        "(code is never changed by --fix)",
    ]
    assert (repo / "billing/views.py").read_text() == code_text


def test_suppressed_line_is_neither_reported_nor_renamed(run_hook: Callable[..., HookResult], repo: Path, capsys) -> None:
    text = "cache:\n  # legacy-config: ignore[rename-legacy-keys]\n  timeout: 300\n"
    write(repo, {"app.yaml": text, ".legacy-keys.yaml": "renamed:\n  cache.timeout: cache.ttl\n"})
    assert run_hook("rename-legacy-keys", "--fix", "app.yaml") == (0, "", "")
    assert (repo / "app.yaml").read_text() == text


def test_scopes_limit_a_rule_to_matching_files(run_hook: Callable[..., HookResult], repo: Path, capsys) -> None:
    write(
        repo,
        {
            "config/app.yaml": "cache:\n  timeout: 1\n",
            "deploy/app.yaml": "cache:\n  timeout: 1\n",
            ".legacy-keys.yaml": 'renamed:\n  cache.timeout: cache.ttl\nscopes:\n  cache.timeout: ["config/*.yaml"]\n',
        },
    )
    code, out, _ = run_hook("rename-legacy-keys", "config/app.yaml", "deploy/app.yaml")
    assert code == 1
    assert "config/app.yaml:2:3" in out and "deploy/" not in out


def test_mapping_file_itself_is_never_a_config_file(run_hook: Callable[..., HookResult], repo: Path, capsys) -> None:
    write(repo, {".legacy-keys.yaml": "renamed:\n  renamed: moved\n"})
    assert run_hook("rename-legacy-keys", "--fix", ".legacy-keys.yaml") == (0, "", "")
    assert (repo / ".legacy-keys.yaml").read_text() == "renamed:\n  renamed: moved\n"


# -- guarantees ----------------------------------------------------------------


@pytest.mark.parametrize(
    "encoding, bom",
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")],
)
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("final", [True, False])
def test_encoding_bom_newlines_and_final_newline_are_kept(run_hook: Callable[..., HookResult],
    repo: Path, capsys, encoding: str, bom: bytes, newline: str, final: bool
) -> None:
    def data(text: str) -> bytes:
        text = text.replace("\n", newline)
        return bom + (text if final else text[: -len(newline)]).encode(encoding)

    before = "# café\n[cache]\ntimeout = 300 ; seconds\nbackend = rédis\n"
    write(repo, {"app.ini": data(before), ".legacy-keys.yaml": "renamed:\n  cache.timeout: cache.ttl\n"})
    assert run_hook("rename-legacy-keys", "--fix", "app.ini")[0] == 1
    assert (repo / "app.ini").read_bytes() == data(before.replace("timeout =", "ttl ="))


def test_write_is_atomic_and_keeps_the_mode(run_hook: Callable[..., HookResult], repo: Path, capsys) -> None:
    write(repo, {"conf/app.yaml": "cache:\n  timeout: 1\n", ".legacy-keys.yaml": "renamed:\n  cache.timeout: cache.ttl\n"})
    os.chmod(repo / "conf/app.yaml", 0o640)
    inode = os.stat(repo / "conf/app.yaml").st_ino
    assert run_hook("rename-legacy-keys", "--fix", "conf/app.yaml")[0] == 1
    assert stat.S_IMODE(os.stat(repo / "conf/app.yaml").st_mode) == 0o640
    assert os.stat(repo / "conf/app.yaml").st_ino != inode  # replaced by a rename, not rewritten in place
    assert sorted(os.listdir(repo / "conf")) == ["app.yaml"]  # no temp file left behind


def test_diff_prints_the_change_without_writing(run_hook: Callable[..., HookResult], repo: Path, capsys) -> None:
    text = "cache:\n  backend: redis\n  timeout: 300\n"
    write(repo, {"app.yaml": text, ".legacy-keys.yaml": "renamed:\n  cache.timeout: cache.ttl\n"})
    code, out, _ = run_hook("rename-legacy-keys", "--diff", "app.yaml")
    assert code == 1
    assert "--- a/app.yaml\n+++ b/app.yaml\n@@ -1,3 +1,3 @@\n cache:\n   backend: redis\n-  timeout: 300\n+  ttl: 300\n" in out
    assert (repo / "app.yaml").read_text() == text


def test_unparsable_file_is_reported_and_never_written(run_hook: Callable[..., HookResult], repo: Path, capsys) -> None:
    text = "cache:\n  timeout: 300\n  - broken\n"
    write(repo, {"app.yaml": text, ".legacy-keys.yaml": "renamed:\n  cache.timeout: cache.ttl\n"})
    code, out, _ = run_hook("rename-legacy-keys", "--fix", "app.yaml")
    assert code == 1 and "cannot parse YAML" in out
    assert (repo / "app.yaml").read_text() == text


# -- the mapping file ------------------------------------------------------------


@pytest.mark.parametrize(
    "mapping, expected",
    [
        ("renamed: [a\n", ".legacy-keys.yaml:2:1: rename-legacy-keys: error: not valid YAML"),
        ("renamed:\n  a.b: a.b\n", ".legacy-keys.yaml:2:8: rename-legacy-keys: error: a.b is renamed to itself"),
        (
            "renamed:\n  a: b\n  b: c\n",
            ".legacy-keys.yaml:2:6: rename-legacy-keys: error: a is renamed to b, which line 3 renames to c: a chain",
        ),
        (
            "renamed:\n  a: b\n  b: a\n",
            ".legacy-keys.yaml:2:6: rename-legacy-keys: error: a is renamed to b, which line 3 renames to a: a cycle",
        ),
        (
            "renamed:\n  x.y: z\nremoved:\n  x.y: gone\n",
            ".legacy-keys.yaml:4:3: rename-legacy-keys: error: x.y is both renamed (line 2) and removed",
        ),
        ("renames:\n  a: b\n", ".legacy-keys.yaml:1:1: rename-legacy-keys: error: unknown section 'renames'"),
        ("renamed:\n  a..b: c\n", ".legacy-keys.yaml:2:3: rename-legacy-keys: error: renamed key 'a..b' is not a key path"),
        ("- a\n", ".legacy-keys.yaml:1:1: rename-legacy-keys: error: must be a mapping"),
    ],
)
def test_bad_mapping_is_a_usage_error_with_its_line(run_hook: Callable[..., HookResult], repo: Path, capsys, mapping: str, expected: str) -> None:
    write(repo, {".legacy-keys.yaml": mapping, "app.yaml": "a: 1\n"})
    code, out, err = run_hook("rename-legacy-keys", "--fix", "app.yaml")
    assert code == 2 and out == ""
    assert err.startswith(expected), err
    assert (repo / "app.yaml").read_text() == "a: 1\n"


def test_no_default_mapping_file_means_nothing_to_rename(run_hook: Callable[..., HookResult], repo: Path, capsys) -> None:
    write(repo, {"app.yaml": "a: 1\n", "settings.py": "A = 1\n"})
    # Exit 0, and one line that says nothing was checked (not a silent "Passed").
    assert run_hook("rename-legacy-keys", "--fix", "app.yaml", "settings.py") == (
        0, "", "rename-legacy-keys: nothing to check: no .legacy-keys.yaml lists deprecated keys\n"
    )
    assert (repo / "app.yaml").read_text() == "a: 1\n"


def test_missing_mapping_file_and_mapping_flag(run_hook: Callable[..., HookResult], repo: Path, capsys) -> None:
    write(repo, {"app.yaml": "a: 1\n", "keys/legacy.yaml": "renamed:\n  a: b\n"})
    code, _, err = run_hook("rename-legacy-keys", "--mapping", "keys/missing.yaml", "app.yaml")
    assert code == 2 and "keys/missing.yaml:1:1: rename-legacy-keys: error: cannot read: no such file" in err
    assert run_hook("rename-legacy-keys", "--mapping", "keys/legacy.yaml", "--fix", "app.yaml")[0] == 1
    assert (repo / "app.yaml").read_text() == "b: 1\n"


def test_mapping_setting_in_pyproject(run_hook: Callable[..., HookResult], repo: Path, capsys) -> None:
    write(
        repo,
        {
            "pyproject.toml": '[tool.legacy-config-hooks]\nmapping = "keys.yaml"\n',
            "keys.yaml": "renamed:\n  a: b\n",
            "app.yaml": "a: 1\n",
        },
    )
    code, out, _ = run_hook("rename-legacy-keys", "app.yaml")
    assert code == 1 and "a is deprecated; rename it to b" in out


def test_a_key_is_renamed_everywhere_in_a_file_or_nowhere(run_hook: Callable[..., HookResult], repo: Path, capsys) -> None:
    text = 'CACHES = {"default": {"TIMEOUT": 60}}\nif True:\n    CACHES["default"]["TIMEOUT"] = 120\n'
    write(repo, {"settings.py": text, ".legacy-keys.yaml": "renamed:\n  CACHES.default.TIMEOUT: CACHES.default.TTL\n"})
    code, out, _ = run_hook("rename-legacy-keys", "--fix", "settings.py")
    assert code == 1
    assert "settings.py:1:23: rename-legacy-keys: CACHES.default.TIMEOUT is deprecated; rename it to " \
           "CACHES.default.TTL by hand: it is also set on line 3, which is not renamed automatically" in out, out
    assert (repo / "settings.py").read_text() == text


def test_renames_that_verify_are_kept_when_another_cannot_be_exact(run_hook: Callable[..., HookResult], repo: Path, capsys) -> None:
    # Renaming the [project] header alone would leave [project.urls] behind.
    text = '[project]\nname = "billing"\n\n[project.urls]\nHome = "https://example.com"\n\n[tool.black]\nline_length = 99\n'
    write(
        repo,
        {
            "pyproject.toml": text,
            ".legacy-keys.yaml": "renamed:\n  project: package\n  tool.black.line_length: tool.black.line-length\n",
        },
    )
    code, out, _ = run_hook("rename-legacy-keys", "--fix", "pyproject.toml")
    assert code == 1
    assert "pyproject.toml:1:1: rename-legacy-keys: project is deprecated; rename it to package by hand: " \
           "the fixed file would read back differently at package.urls" in out, out
    assert (repo / "pyproject.toml").read_text() == text.replace("line_length", "line-length")


@pytest.mark.parametrize(
    "text, mapping, after",
    [
        pytest.param(
            "[app:main]\nuse = egg:billing\n\n[server:main]\nport = 1\n",
            'renamed:\n  ["app:main"]: ["app:billing"]\n',
            "[app:billing]\nuse = egg:billing\n\n[server:main]\nport = 1\n",
            id="section-with-colon",
        ),
        pytest.param(  # uwsgi options are multi-valued by section name: renaming it changes their meaning
            "[uwsgi]\nenv = A=1\nenv = B=2\n", "renamed:\n  uwsgi: server\n", None, id="uwsgi-section-refused"
        ),
    ],
)
def test_ini_section_rename(run_hook: Callable[..., HookResult], repo: Path, capsys, text: str, mapping: str, after: str) -> None:
    write(repo, {"app.ini": text, ".legacy-keys.yaml": mapping})
    code, out, _ = run_hook("rename-legacy-keys", "--fix", "app.ini")
    assert code == 1
    assert (repo / "app.ini").read_text() == (after or text)
    assert ("by hand: the fixed file would read back differently" in out) == (after is None), out


@pytest.mark.parametrize(
    "name, data",
    [
        ("app.yaml", b""),
        ("app.yaml", b"\x00\x01binary"),
        ("app.yaml", b"cache:\n  timeout: \xff\n"),
        (".env", b"cache.timeout= 'unterminated\n"),
        ("settings.py", b"def broken(:\n"),
        ("views.py", b"def broken(:\n  settings.OLD\n"),
        ("app.json", b'{"cache": {"timeout": 1}'),
    ],
)
def test_bad_input_is_one_line_never_a_traceback_or_a_write(run_hook: Callable[..., HookResult], repo: Path, capsys, name: str, data: bytes) -> None:
    write(repo, {name: data, ".legacy-keys.yaml": "renamed:\n  cache.timeout: cache.ttl\n  OLD: NEW\n"})
    code, out, err = run_hook("rename-legacy-keys", "--fix", name)
    assert code in (0, 1) and "Traceback" not in out + err
    assert all(line.startswith(f"{name}:") for line in out.splitlines()), out
    assert (repo / name).read_bytes() == data
