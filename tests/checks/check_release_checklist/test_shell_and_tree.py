"""check-release-checklist's two small readers, on text shaped like real CI:
shell.commands (run blocks, recipes, scripts) and tree.root (YAML with merge
keys, as GitLab CI files write them)."""
from __future__ import annotations

from hooks.checks.check_release_checklist.shell import Command, commands, words_of
from hooks.checks.check_release_checklist.tree import root
from hooks.config import formats, loaders


def test_continuations_heredocs_and_comments() -> None:
    text = ("set -euo pipefail\n"
            "python -m pytest \\\n    --cov=app \\\n    tests/\n"
            "cat > tests/local.env <<EOF\nDATABASE_URL=postgres://db\nruff check .\nEOF\n"
            "# pytest --this-is-a-comment\n"
            "ruff check src  # lint the sources\n")
    found = commands(text, 10)
    assert [c.words for c in found] == [("set", "-euo", "pipefail"), ("python", "-m", "pytest", "--cov=app", "tests/"),
                                        ("cat", ">", "tests/local.env"), ("ruff", "check", "src")]
    assert [c.line for c in found] == [10, 11, 14, 19]  # the here-document's body is not a command


def test_operators_split_outside_quotes_only() -> None:
    found = commands("docker compose exec -T web sh -c 'pytest -x && echo ok'; make lint | tee lint.log")
    assert [c.words for c in found] == [("docker", "compose", "exec", "-T", "web", "sh", "-c", "pytest -x && echo ok"),
                                        ("make", "lint"), ("tee", "lint.log")]
    escaped = commands('echo "a \\" && b" && pytest')
    assert [c.words[0] for c in escaped] == ["echo", "pytest"]


def test_redirections_are_not_operators() -> None:
    found = commands("pytest > out.log 2>&1 && flake8 &> lint.log\nmypy src >&2 & wait")
    assert [c.words[0] for c in found] == ["pytest", "flake8", "mypy", "wait"]


def test_swallowed_failures() -> None:
    found = commands("pytest || true\nflake8 || echo 'lint failed'\nmypy; exit 0\nruff check . || exit 0\npylint app || exit 1\n")
    assert [(c.words[0], c.swallowed) for c in found] == [("pytest", True), ("flake8", True), ("mypy", True), ("ruff", True),
                                                          ("pylint", False), ("exit", False)]


def test_shell_keywords_and_unbalanced_quotes() -> None:
    found = commands("if [ -n \"$CI\" ]; then pytest; fi\nfor d in a b; do make -C $d test; done")
    assert ("pytest",) in [c.words for c in found]
    assert ("make", "-C", "$d", "test") in [c.words for c in found]
    assert words_of("echo ${{ github.ref == 'refs/tags/x }}") == ("echo", "${{", "github.ref", "==", "'refs/tags/x", "}}")
    assert words_of("then exec pytest") == ("pytest",)
    assert Command(("a",), 1).swallowed is False


def _top(text: str):  # type: ignore[no-untyped-def]
    return root(loaders.parse(".gitlab-ci.yml", text, formats.YAML))


def test_merge_keys_one_and_several() -> None:
    top = _top(".base: &base\n  image: python:3.12\n  stage: test\n.db: &db\n  services: [postgres:16]\n"
               "unit:\n  <<: [*base, *db]\n  stage: unit\n  script: [pytest]\n"
               "lint:\n  <<: *base\n  script: [ruff check .]\n")
    assert top is not None
    unit = top.get("unit")
    assert unit is not None and unit.text("stage") == "unit"  # the job's own key wins over the merged one
    assert unit.text("image") == "python:3.12"
    assert [s.value for s in unit.get("services").items()] == ["postgres:16"]  # type: ignore[union-attr]
    lint = top.get("lint")
    assert lint is not None and lint.text("stage") == "test"
    assert lint.get("script").at == 12  # type: ignore[union-attr]


def test_top_level_merge_key_and_unreadable_documents() -> None:
    top = _top("defaults: &defaults\n  image: python:3.12\n<<: *defaults\nscript: [pytest]\n")
    assert top is not None and top.text("image") == "python:3.12"
    assert _top("- a\n- b\n") is None
    assert _top("") is None
    assert _top("a: [\n") is None


def test_block_scalars_start_on_the_next_line_and_tags_are_kept() -> None:
    top = _top("test:\n  script:\n    - |\n      pytest\n      ruff check .\n    - !reference [.setup, script]\n")
    assert top is not None
    items = top.get("test").get("script").items()  # type: ignore[union-attr]
    assert items[0].style == "|" and items[0].body_line == 4
    assert [c.line for c in commands(items[0].value, items[0].body_line)] == [4, 5]
    assert items[1].tag == "!reference" and [i.value for i in items[1].items()] == [".setup", "script"]
