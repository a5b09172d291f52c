"""The shape of the collection: one registry that everything else agrees with,
hooks that never import each other, argparse only in the runner, short
``main()``s, and fingerprints that users' baselines can rely on."""
from __future__ import annotations

import ast
import configparser
import importlib
import io
import json
import re
import shutil
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from hooks.core import registry
from tests.conftest import ROOT

HOOK_MODULES = set(registry.HOOKS.values())
# Scripts that run the hooks rather than being one (they may parse arguments).
DRIVERS = {"hooks/core/runner.py", "hooks/report/cli.py", "hooks/__main__.py"}


def manifest() -> list[dict[str, object]]:
    data: list[dict[str, object]] = YAML(typ="safe", pure=True).load((ROOT / ".pre-commit-hooks.yaml").read_text())
    return data


def console_scripts() -> dict[str, str]:
    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg")
    lines = parser["options.entry_points"]["console_scripts"].strip().splitlines()
    return dict((part.strip() for part in line.split("=", 1)) for line in lines)  # type: ignore[misc]


def modules() -> dict[str, Path]:
    """Every module of the package, by dotted name."""
    out = {}
    for path in sorted((ROOT / "hooks").rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


def _type_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def runtime_imports(path: Path) -> set[str]:
    """The modules of the package that ``path`` imports when it runs: at the top or
    inside a function (a function-local import hides a cycle, it does not remove it),
    leaving out ``if TYPE_CHECKING:`` blocks, which never run."""
    known = modules()
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if _type_only(child):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.Import):
                found.update(a.name for a in child.names if a.name in known)
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                names = [f"{child.module}.{a.name}" for a in child.names]
                subs = [n for n in names if n in known]
                found.update(subs)
                if len(subs) < len(names) and child.module in known:
                    found.add(child.module)
            visit(child)

    visit(ast.parse(path.read_text()))
    return found


def owner(module: str) -> str | None:
    """The hook a module belongs to: the hook module itself or its private helpers."""
    for hook_module in HOOK_MODULES:
        if module == hook_module or module.startswith(hook_module + "_") or module.startswith(hook_module + "."):
            return hook_module
    return None


# -- the registry is the one list ---------------------------------------------
@pytest.mark.parametrize("hook_id", registry.ids())
def test_registry_agrees_with_every_place_that_names_a_hook(hook_id: str) -> None:
    hook = registry.get(hook_id)
    assert hook.id == hook_id, "the id inside the module differs from the registry's"
    entries = {str(h["id"]): h for h in manifest()}
    assert hook_id in entries, f"{hook_id} is not in .pre-commit-hooks.yaml"
    entry = str(entries[hook_id]["entry"]).split()[0]
    assert console_scripts().get(entry) == f"{registry.HOOKS[hook_id]}:main", f"console script {entry}"
    assert (ROOT / "docs" / "hooks" / f"{hook_id}.md").is_file(), f"no docs page for {hook_id}"
    readme = (ROOT / "README.md").read_text()
    assert re.search(rf"^\| `{re.escape(hook_id)}` .*docs/hooks/{re.escape(hook_id)}\.md", readme, re.M), "README table"
    assert re.search(rf"^\s+- id: {re.escape(hook_id)}\b", readme, re.M), "README snippet"
    assert f"hooks/{hook_id}.md" in (ROOT / "docs" / "index.md").read_text(), "docs/index.md"


def test_every_manifest_hook_is_registered_or_runs_the_registered_ones() -> None:
    for entry in manifest():
        if entry["entry"] in ("legacy-config-report", "legacy-config-checks"):
            continue  # the cleanup report and all-checks run the hooks; they are not one
        assert entry["id"] in registry.HOOKS, f"{entry['id']} is in the manifest but not in hooks/core/registry.py"


# -- one of each concept ------------------------------------------------------
def test_no_hook_imports_another_hook_and_the_core_imports_none() -> None:
    problems = []
    for name, path in modules().items():
        mine = owner(name)
        for imported in imports(path):
            theirs = owner(imported)
            if theirs is None or theirs == mine:
                continue
            who = f"hook {mine}" if mine else "the core"
            problems.append(f"{name} ({who}) imports {imported}, part of hook {theirs}")
    assert not problems, "\n".join(problems)


def test_no_import_cycle_among_the_modules() -> None:
    graph = {name: runtime_imports(path) - {name, "hooks"} for name, path in modules().items()}
    cycles = []
    done: set[str] = set()

    def walk(name: str, stack: list[str]) -> None:
        if name in stack:
            cycles.append(" -> ".join(stack[stack.index(name):] + [name]))
            return
        if name in done:
            return
        for nxt in sorted(graph.get(name, ())):
            walk(nxt, stack + [name])
        done.add(name)

    for name in sorted(graph):
        walk(name, [])
    assert not cycles, "\n".join(sorted(set(cycles)))


@pytest.mark.parametrize("layer", ["hooks.core", "hooks.config", "hooks.repo", "hooks.secrets", "hooks.common"])
def test_lower_layers_import_no_check(layer: str) -> None:
    """What two checks share lives outside checks/, and never reaches back into one."""
    offenders = [
        f"{name} imports {imported}"
        for name, path in modules().items() if name == layer or name.startswith(layer + ".")
        for imported in runtime_imports(path) | imports(path)
        if imported.startswith("hooks.checks.")
    ]
    assert not offenders, "\n".join(offenders)


def test_the_registry_is_data() -> None:
    """The registry names modules and imports none of them at the top, so the runner can
    read the known hook ids without a loop through every hook."""
    assert runtime_imports(modules()["hooks.core.registry"]) == set()


def test_the_tree_shows_the_architecture() -> None:
    top = sorted(p.name for p in (ROOT / "hooks").iterdir() if not p.name.startswith((".", "__pycache__")))
    assert top == ["__init__.py", "__main__.py", "all_checks", "checks", "common", "config", "core", "repo", "report",
                   "secrets"]
    for hook_id, module in registry.HOOKS.items():
        package = ROOT / Path(*module.split("."))
        assert (package / "__init__.py").is_file(), f"{hook_id}: hooks/checks/<hook>/__init__.py"
        assert module.startswith("hooks.checks."), hook_id
        tests = ROOT / "tests" / "checks" / package.name
        assert any(tests.glob("test_*.py")), f"{hook_id}: no tests in {tests.relative_to(ROOT)}"


def test_no_test_module_imports_another() -> None:
    offenders = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        for imported in imports(path):
            if re.search(r"(^|\.)test_[^.]*$", imported.rsplit(".", 1)[0]) or re.search(r"(^|\.)test_\w+$", imported):
                if imported.startswith("tests."):
                    offenders.append(f"{path.relative_to(ROOT)} imports {imported}")
    assert not offenders, "\n".join(offenders)


def test_only_the_runner_parses_arguments() -> None:
    offenders = [
        str(path.relative_to(ROOT)) for path in modules().values()
        if "argparse" in imports(path) and str(path.relative_to(ROOT)) not in DRIVERS
    ]
    assert not offenders


@pytest.mark.parametrize("hook_id", registry.ids())
def test_main_is_a_line_or_two(hook_id: str) -> None:
    path = modules()[registry.HOOKS[hook_id]]
    main = next(n for n in ast.parse(path.read_text()).body if isinstance(n, ast.FunctionDef) and n.name == "main")
    assert len(main.body) <= 2, f"{hook_id}: main() should only call runner.main(HOOK, argv)"


def test_config_file_pattern_is_written_once() -> None:
    from hooks.config import paths

    anchor = next(h for h in manifest() if h["id"] == "no-duplicate-config-keys")["files"]
    assert re.sub(r"\s", "", str(anchor)) == re.sub(r"\s", "", paths.CONFIG_FILES)
    sources = [p for p in modules().values() if r"(settings|config)/[^/]+\.py$" in p.read_text()]
    assert [p.name for p in sources] == ["paths.py"]


# -- fingerprints --------------------------------------------------------------
def test_fingerprints_of_v0_1_still_match(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Findings on the example service keep the fingerprints 0.1 gave them, so
    existing baselines keep suppressing the same findings."""
    expected = json.loads((ROOT / "tests" / "data" / "fingerprints-v0.1.json").read_text())
    shutil.copytree(ROOT / "examples" / "legacy-service", tmp_path / "svc")
    monkeypatch.chdir(tmp_path / "svc")
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (tmp_path / "svc" / "pyproject.toml").write_text("")  # no baseline: every finding shows
    files = sorted(str(p.relative_to(tmp_path / "svc")) for p in (tmp_path / "svc").rglob("*") if p.is_file())
    assert len(expected) == 6
    for module, pairs in expected.items():
        out = io.StringIO()
        with redirect_stdout(out):
            importlib.import_module(f"hooks.checks.{module}").main(["--format", "json", *files])
        got = sorted([f["path"], f["fingerprint"]] for f in json.loads(out.getvalue())["findings"])
        assert got == sorted(pairs), module


def test_every_parse_of_python_goes_through_python_trees() -> None:
    """One parser entry (hooks/config/python_trees.py): the report shares each module's tree
    between checks, and a newer Python's syntax is told apart from a broken file. A direct
    ``ast.parse`` (module level or inside a function) parses the same text again."""
    offenders = []
    for name, path in modules().items():
        if name == "hooks.config.python_trees":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "parse"
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "ast"):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, offenders
