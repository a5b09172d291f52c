"""A module the hooks cannot read (Python 2, a newer Python) gets its one line
only when it is the user's own code: a vendored package (``libs/httplib2/``,
``vendor/``), test data or a lock file is not reported, by any hook (the runner
filters the lines; held-out first wave 6: CouchPotato's libs/, baruwa2)."""
from __future__ import annotations

from pathlib import Path

import pytest

from hooks.checks.check_cache_rules import main
from tests.conftest import git, write_files

# A cache call in Python 2 (a vendored HTTP client with a cache, an own module).
PY2_CACHE = '''\
from django.views.decorators.cache import cache_page


@cache_page(60 * 15)
def article_list(request):
    try:
        return render(request)
    except IOError, err:
        raise
'''


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    git(tmp_path, "init", "-q")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_python2_in_a_vendored_package_gets_no_line(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(repo, {"libs/tornado/views.py": PY2_CACHE, "vendor/blog/views.py": PY2_CACHE})
    git(repo, "add", "-A")
    main([])
    assert "Python 2" not in capsys.readouterr().out


def test_python2_in_the_users_own_module_keeps_its_line(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(repo, {"libs/tornado/views.py": PY2_CACHE, "blog/views.py": PY2_CACHE})
    git(repo, "add", "-A")
    assert main([]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "blog/views.py:8:1: check-cache-rules: Python 2 syntax: the hooks read Python 3; this file is not checked"]


def test_python2_in_a_vendored_settings_file_passed_by_name_gets_no_line(run_hook) -> None:  # type: ignore[no-untyped-def]
    source = "import os\nDEBUG = True\nprint \"loading settings\"\n"
    result = run_hook("no-duplicate-config-keys", "vendor/pkg/settings.py", "app/settings.py",
                      files={"vendor/pkg/settings.py": source, "app/settings.py": source})
    assert [line for line in result.out.splitlines() if line.strip()] == [
        "app/settings.py:3:1: no-duplicate-config-keys: Python 2 syntax: the hooks read Python 3; this file is not checked"]


def test_the_roles_setting_can_call_a_folder_vendored(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(repo, {"extlib/blog/views.py": PY2_CACHE, "blog/views.py": PY2_CACHE,
                       "pyproject.toml": '[tool.legacy-config-hooks.roles]\nvendored = ["extlib/**"]\n'})
    git(repo, "add", "-A")
    assert main([]) == 1
    assert "extlib/" not in capsys.readouterr().out
