"""What a hook's start-up skips must not change what it does: the command line
read without argparse, and the core modules that every hook imports."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from hooks.core import records, registry, runner


@pytest.mark.parametrize("hook_id", registry.ids())
@pytest.mark.parametrize("argv", [[], ["config/production.yaml", "a b.env", "settings.py"]])
def test_file_names_alone_read_as_argparse_reads_them(hook_id: str, argv: list[str]) -> None:
    hook = registry.get(hook_id)
    assert runner.parse_args(hook, argv) == vars(runner.make_parser(hook).parse_args(argv))


def test_a_flag_goes_through_argparse() -> None:
    hook = registry.get("no-inline-secrets")
    assert runner.parse_args(hook, ["--format", "json", "a.yaml"])["format"] == "json"
    with pytest.raises(runner.UsageError):
        runner.parse_args(hook, ["--format", "yaml"])


def test_the_core_imports_neither_dataclasses_nor_typing_nor_argparse() -> None:
    # Each costs 3-10 ms at every hook's start, on every commit (docs/performance.md).
    code = (
        "import sys; import hooks.core.runner, hooks.checks.no_inline_secrets, hooks.checks.no_duplicate_config_keys; "
        "print(sorted({'dataclasses', 'inspect', 'typing', 'argparse'} & set(sys.modules)))"
    )
    # Without coverage's subprocess start-up (make test measures subprocesses), which imports them itself.
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGE_PROCESS_")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    assert out.strip() == "[]"


def test_records_behave_as_dataclasses() -> None:
    @records.record(frozen=True)
    class Point:
        x: int
        y: int = 0
        tags: list[str] = records.field(default_factory=list)
        note: str = records.field(default="", compare=False, repr=False)

    p = Point(1, tags=["a"], note="n")
    assert (p.x, p.y, p.tags, p.note) == (1, 0, ["a"], "n")
    assert p == Point(1, 0, ["a"], "other") and p != Point(2)
    assert repr(p).endswith("Point(x=1, y=0, tags=['a'])")
    assert Point(1).tags is not Point(1).tags
    assert records.replace(p, y=5) == Point(1, 5, ["a"])
    with pytest.raises(AttributeError):
        p.x = 3  # type: ignore[misc]

    @records.record
    class Box:
        items: list[int] = records.field(default_factory=list)

    box = Box()
    box.items = [1]
    assert box == Box([1])
    with pytest.raises(TypeError):
        hash(box)  # mutable and compared by value


def test_records_init_false_and_post_init() -> None:
    @records.record
    class Resolved:
        name: str
        upper: str = records.field(init=False, default="")
        seen: list[str] = records.field(init=False, default_factory=list)

        def __post_init__(self) -> None:
            self.upper = self.name.upper()

    r = Resolved("debug")
    assert (r.upper, r.seen) == ("DEBUG", [])
    with pytest.raises(TypeError):
        Resolved("debug", "DEBUG")  # type: ignore[call-arg]
