"""check-cache-rules run in-process through the runner: exit codes, notices, --write-rules."""
from __future__ import annotations

from pathlib import Path

import pytest

from hooks.checks.check_cache_rules import main
from tests.conftest import git, write_files

VIEWS = "from django.views.decorators.cache import cache_page\n\n@cache_page(60 * 15)\ndef article_list(request): ...\n"


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    git(tmp_path, "init", "-q")
    write_files(tmp_path, {"blog/views.py": VIEWS, "blog/tests.py": VIEWS})
    git(tmp_path, "add", "-A")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_without_rules_it_passes_with_one_line(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    err = capsys.readouterr().err
    assert err == ("check-cache-rules: no cache-rules.yaml: found 1 cache site(s), not checked; "
                   "--write-rules writes a starting file\n")


def test_verbose_lists_each_site(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--verbose"]) == 0
    err = capsys.readouterr().err
    assert "check-cache-rules: blog/views.py:3: @cache_page on article_list caches for 15m (60 * 15) [blog/views.py:article_list]" in err
    assert "tests.py" not in err


def test_write_rules_writes_once_and_the_todos_are_rejected(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--write-rules"]) == 1
    assert capsys.readouterr().out == "wrote cache-rules.yaml: 1 cache site(s); replace its TODOs, then commit it\n"
    text = (repo / "cache-rules.yaml").read_text()
    assert "- \"blog/views.py:article_list\"" in text and "ttl: 15m" in text
    assert main(["--write-rules"]) == 2  # never overwrites
    assert "cache-rules.yaml exists" in capsys.readouterr().err
    assert main([]) == 1
    out = capsys.readouterr().out
    assert "cache-rules.yaml:8:12: check-cache-rules: rule 'blog-views': 'owner' is still a TODO" in out
    assert "article_list" not in out  # the site is covered: only the TODOs are left


def test_bad_max_ttl_is_a_usage_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--max-ttl", "soon"]) == 2
    assert "--max-ttl 'soon'" in capsys.readouterr().err


def test_suppression_marker_at_a_site(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(repo, {"cache-rules.yaml": "rules: []\n",
                       "blog/views.py": VIEWS.replace("@cache_page", "# legacy-config: ignore[check-cache-rules]\n@cache_page")})
    assert main([]) == 0, capsys.readouterr().out
    write_files(repo, {"blog/views.py": VIEWS})
    assert main([]) == 1
    assert "blog/views.py:3:1: check-cache-rules: @cache_page on article_list" in capsys.readouterr().out


def test_an_unreadable_or_huge_rules_file_is_one_line(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "cache-rules.yaml").write_bytes(b"rules:\n  - name: caf\xe9\n")
    assert main([]) == 1
    assert "cache-rules.yaml:1:1: check-cache-rules: cannot read cache-rules.yaml: invalid continuation byte" in capsys.readouterr().out
    (repo / "cache-rules.yaml").write_text("# x\n" * 300_000)
    assert main([]) == 1
    assert "is larger than 1 MB" in capsys.readouterr().out


def test_write_rules_with_no_site_writes_nothing(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(repo, {"blog/views.py": "def article_list(request): ...\n"})
    assert main(["--write-rules", "--verbose"]) == 0
    assert capsys.readouterr().out == "no cache site found: cache-rules.yaml not written\n"
    assert not (repo / "cache-rules.yaml").exists()


def test_rules_path_and_max_ttl_from_pyproject(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(repo, {
        "pyproject.toml": '[tool.legacy-config-hooks.check-cache-rules]\nrules = "deploy/cache.yaml"\nmax-ttl = "5m"\n',
        "deploy/cache.yaml": (
            "rules:\n  - name: blog\n    why: busy\n    owner: web\n    match: {paths: [/blog/]}\n    ttl: 15m\n"
            "    bypass: [{cookie: sessionid}, {header: Authorization}]\n    sites: [blog/views.py:article_list]\n"
            "    examples: {cached: [/blog/], not_cached: [{path: /blog/, cookies: {sessionid: x}}]}\n"
        ),
    })
    assert main([]) == 1
    assert capsys.readouterr().out == (
        "deploy/cache.yaml:6:5: check-cache-rules: rule 'blog' caches for 15m, longer than max-ttl 5m\n"
    )


def test_cache_rules_yml_is_found_too(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(repo, {"cache-rules.yml": "rules: []\n"})
    assert main([]) == 1
    assert ("blog/views.py:3:1: check-cache-rules: @cache_page on article_list caches for 15m (60 * 15), "
            "but no rule in cache-rules.yml") in capsys.readouterr().out
