"""Every hook in .pre-commit-hooks.yaml against every bad input, through its
console script as a subprocess.

For each (hook, input) pair: exit code 0 or 1; at most one output line for the
input (every line names the input it is about); no traceback; no file modified
(bytes, size, mode and mtime); and the run ends within its time budget.

Time budget: a hook run over all the bad inputs at once (about 105 MB, two
100,000-line files) must finish within ``RUN_BUDGET`` seconds; a run with
``--max-file-size 0`` over one 50 MB file within ``BIG_BUDGET`` seconds. Both
are about ten times what a run takes on a 2-core machine, so they catch a hang
or a quadratic blow-up, not a slow CI box.

Each hook runs once over all the inputs (as pre-commit would pass them),
rather than once per pair, and the hooks run two at a time; the assertions are
then made per pair from that one run's output.
"""
from __future__ import annotations

import codecs
import collections
import os
import re
import shutil
import stat
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.helpers.reliability import (
    Hook,
    assert_no_traceback,
    clean_env,
    created_by,
    describe,
    fingerprint_tree,
    hook_variants,
    inputs_for,
    prepare_cwd,
    run_hook,
    variant_id,
)

RUN_BUDGET = 120  # seconds, one hook over every bad input
BIG_BUDGET = 60  # seconds, one hook over one 50 MB file with no size limit


def checks_in(hook: Hook) -> int:
    """How many checks one run of ``hook`` is: all-checks and the cleanup report
    run every default-stage check one after the other, so each has the budget of
    all of them (a busy machine once took the report past one check's budget)."""
    if hook.id not in ("all-checks", "cleanup-report"):
        return 1
    from hooks.report import collect

    return len(collect.default_hooks(collect.load_manifest()))
BIG = 50 * 1024 * 1024
LINES = 100_000
DEPTH = 10_000

# What each input must give. CLEAN: no output line at all (valid content in an
# awkward shape). AT_MOST_ONE: at most one line (a hook that parses it reports
# it once; one that does not parse it, e.g. a file-name check, says nothing).
CLEAN = "clean"
AT_MOST_ONE = "at-most-one"


class Input(NamedTuple):
    name: str  # path relative to the repo, as pre-commit would pass it
    expect: str


def _billion_laughs() -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 9)}]")
    return "\n".join(lines) + "\n"


SMALL_INPUTS: dict[str, tuple[bytes, str]] = {
    # malformed files of each format
    "malformed/app.yaml": (b"service:\n  name: [billing\n  port: : 80\n", AT_MOST_ONE),
    "malformed/app.ini": (b"key = outside any section\n[server\nport = 80\n", AT_MOST_ONE),
    "malformed/.env.example": (b'APP_NAME="billing\nWORKERS=4\n', AT_MOST_ONE),
    "malformed/pyproject.toml": (b"[tool.app]\nports = [80,\nname = 'x'\n", AT_MOST_ONE),
    "malformed/app.json": (b'{"service": {"port": 80,}, }\n', AT_MOST_ONE),
    "malformed/kafka.properties": (b"broker.id=1\nlisteners=\\u12zz\n", AT_MOST_ONE),
    "malformed/settings.py": (b"DEBUG = False\nALLOWED_HOSTS = [\n", AT_MOST_ONE),
    # encodings
    "binary.yaml": (bytes(range(256)) * 8, AT_MOST_ONE),
    "binary.json": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), AT_MOST_ONE),
    "latin1.ini": (b"[app]\nname = caf\xe9\nport = 80\n", AT_MOST_ONE),
    "invalid-utf8.yaml": (b"name: ok\nbad: \xff\xfe\xfd\n", AT_MOST_ONE),
    "utf16.json": (codecs.BOM_UTF16_LE + '{"name": "café", "port": 80}\n'.encode("utf-16-le"), CLEAN),
    "utf16-settings/settings.py": (
        codecs.BOM_UTF16_BE + 'NAME = "café"\nPORT = 80\n'.encode("utf-16-be"),
        AT_MOST_ONE,  # Python source in UTF-16 is legal to read; a hook may say it cannot
    ),
    "utf8-bom.yaml": (codecs.BOM_UTF8 + b"name: billing\nport: 80\n", CLEAN),
    # line endings, empty, comments only
    "crlf.yaml": (b"service:\r\n  name: billing\r\n  port: 80\r\n", CLEAN),
    "crlf.ini": (b"[app]\r\nname = billing\r\nport = 80\r\n", CLEAN),
    "crlf/.env.example": (b"APP_NAME=billing\r\nWORKERS=4\r\n", CLEAN),
    "crlf/settings.py": (b"NAME = 'billing'\r\nPORT = 80\r\n", CLEAN),
    "empty.yaml": (b"", CLEAN),
    "empty.json": (b"", AT_MOST_ONE),
    "empty.ini": (b"", CLEAN),
    "empty.toml": (b"", CLEAN),
    "empty/.env.example": (b"", CLEAN),
    "empty/settings.py": (b"", CLEAN),
    "empty.properties": (b"", CLEAN),
    "comments.yaml": (b"# nothing here yet\n# port: 80\n", CLEAN),
    "comments.ini": (b"; nothing here yet\n# [app]\n", CLEAN),
    "comments.toml": (b"# nothing here yet\n", CLEAN),
    "comments/.env.example": (b"# APP_NAME=billing\n", CLEAN),
    "comments/settings.py": (b"# DEBUG = True\n", CLEAN),
    "comments.properties": (b"# nothing\n! here\n", CLEAN),
    # alias bomb and deep nesting
    "alias-bomb.yaml": (_billion_laughs().encode(), AT_MOST_ONE),
    "deep.yaml": (b"deep: " + b"[" * DEPTH + b"]" * DEPTH + b"\n", AT_MOST_ONE),
    "deep-block.yaml": ("".join(f"{' ' * i}k{i}:\n" for i in range(300)).encode(), AT_MOST_ONE),
    "deep.json": (b'{"deep": ' + b"[" * DEPTH + b"]" * DEPTH + b"}\n", AT_MOST_ONE),
    "deep.toml": (b"deep = " + b"[" * DEPTH + b"]" * DEPTH + b"\n", AT_MOST_ONE),
    "deep/settings.py": (b"DEEP = " + b"[" * DEPTH + b"]" * DEPTH + b"\n", AT_MOST_ONE),
    # names
    "dir with spaces/配置 ünïcode.yaml": (b"name: billing\nport: 80\n", CLEAN),
    "unreadable.yaml": (b"name: billing\n", AT_MOST_ONE),  # chmod 000 below
}
SPECIAL_INPUTS = {
    "dangling.yaml": AT_MOST_ONE,  # symlink to a missing file
    "a-directory.yaml": AT_MOST_ONE,  # a directory passed as a file
}
BIG_INPUTS = {
    "big/huge.yaml": AT_MOST_ONE,  # 50 MB: skipped with a notice at the default limit
    "big/huge.json": AT_MOST_ONE,
    "big/lines.yaml": CLEAN,  # 100,000 lines
    "big/settings.py": CLEAN,  # 100,000 lines of settings
}


def _write_big(folder: Path) -> None:
    blob = "x" * 10_000
    count = BIG // len(blob) + 1
    with open(folder / "huge.yaml", "w", encoding="utf-8") as f:
        for i in range(count):
            f.write(f"key_{i}:\n  name: service {i}\n  blob: {blob}\n")
    with open(folder / "huge.json", "w", encoding="utf-8") as f:
        f.write("{\n")
        f.write(",\n".join(f' "key_{i}": {{"name": "service {i}", "blob": "{blob}"}}' for i in range(count)))
        f.write("\n}\n")
    with open(folder / "lines.yaml", "w", encoding="utf-8") as f:
        f.writelines(f"key_{i}: value {i}\n" for i in range(LINES))
    with open(folder / "settings.py", "w", encoding="utf-8") as f:
        f.writelines(f'KEY_{i} = "value {i}"\n' for i in range(LINES))


@pytest.fixture(scope="session")
def big_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The large inputs, generated once per session and hard-linked into each repo."""
    folder = tmp_path_factory.mktemp("big-inputs")
    _write_big(folder)
    assert (folder / "huge.yaml").stat().st_size >= BIG and (folder / "huge.json").stat().st_size >= BIG
    return folder


# Hooks that act on an environment (debug off in production, staging parity)
# only read files whose path names one, so every small input sits under
# production/ and, mirrored, under staging/; the large ones under production/.
SIDES = ("production", "staging")


def make_inputs(root: Path, big: Path) -> list[Input]:
    inputs = []
    for side in SIDES:
        for name, (data, expect) in SMALL_INPUTS.items():
            path = root / side / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            inputs.append(Input(f"{side}/{name}", expect))
        os.chmod(root / side / "unreadable.yaml", 0)
        os.symlink("missing-target.yaml", root / side / "dangling.yaml")
        (root / side / "a-directory.yaml").mkdir()
        inputs += [Input(f"{side}/{name}", expect) for name, expect in SPECIAL_INPUTS.items()]
    (root / "production" / "big").mkdir()
    for name, expect in BIG_INPUTS.items():
        os.link(big / Path(name).name, root / "production" / name)
        inputs.append(Input(f"production/{name}", expect))
    return inputs


def can_read_unreadable(root: Path, name: str = "production/unreadable.yaml") -> bool:
    """chmod 000 does not stop root; then the file is just a valid file."""
    try:
        (root / name).read_bytes()
        return True
    except PermissionError:
        return False


class Outcome(NamedTuple):
    hook: Hook
    variant: tuple[str, ...]
    root: Path
    inputs: list[Input]
    result: subprocess.CompletedProcess
    before: dict[str, tuple]
    after: dict[str, tuple]
    root_reads_all: bool


def _run_one(hook: Hook, variant: tuple[str, ...], root: Path, big: Path) -> Outcome:
    prepare_cwd(hook, root)
    inputs = make_inputs(root, big)
    root_reads_all = can_read_unreadable(root)
    args = inputs_for(hook, root, [i.name for i in inputs])
    before = fingerprint_tree(root)
    result = run_hook(hook, root, [*variant, *args], timeout=RUN_BUDGET * checks_in(hook))
    after = {k: v for k, v in fingerprint_tree(root).items() if k in before or not created_by(hook, k)}
    for side in SIDES:  # so tmp_path can be removed
        os.chmod(root / side / "unreadable.yaml", stat.S_IRUSR | stat.S_IWUSR)
    return Outcome(hook, variant, root, inputs, result, before, after, root_reads_all)


@pytest.fixture(scope="session")
def matrix(tmp_path_factory: pytest.TempPathFactory, big_files: Path) -> dict[str, Outcome]:
    """Each hook (and variant) run once over every bad input, two runs at a time."""
    work = tmp_path_factory.mktemp("bad-input-matrix")
    jobs = {variant_id(hv): (hv[0], hv[1], work / variant_id(hv)) for hv in hook_variants()}
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        futures = {key: pool.submit(_run_one, h, v, root, big_files) for key, (h, v, root) in jobs.items()}
        return {key: future.result() for key, future in futures.items()}


def lines_about(text: str, name: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(name + ":")]


def at_most_one_line(lines: list[str], hook: Hook) -> bool:
    """One line about a file at most; all-checks prints what each check's own
    hook prints, so there it is one line per check at most."""
    if len(lines) <= 1:
        return True
    per_check = collections.Counter(re.findall(r"^[^:]+(?::\d+:\d+)?: ([a-z-]+): ", "\n".join(lines), re.M))
    return hook.id == "all-checks" and max(per_check.values()) == 1 and sum(per_check.values()) == len(lines)


EXPECT = {
    **{f"{side}/{k}": v[1] for side in SIDES for k, v in SMALL_INPUTS.items()},
    **{f"{side}/{k}": v for side in SIDES for k, v in SPECIAL_INPUTS.items()},
    **{f"production/{k}": v for k, v in BIG_INPUTS.items()},
}
ALL_INPUTS = list(EXPECT)
HOOK_VARIANTS = hook_variants()


@pytest.mark.parametrize("hv", HOOK_VARIANTS, ids=variant_id)
def test_hook_run_over_all_bad_inputs_is_clean(matrix: dict[str, Outcome], hv: tuple) -> None:
    outcome = matrix[variant_id(hv)]
    result = outcome.result
    assert result.returncode in (0, 1), describe(result)
    assert_no_traceback(result)
    # Every finding line names the input it is about (one line per problem,
    # nothing else). stderr may carry a closing hint (how to fix), so only
    # stdout is held to this; per input, both streams are checked below.
    names = [i.name for i in outcome.inputs]
    if not outcome.hook.setup.free_output:
        for line in result.stdout.splitlines():
            if line.strip():
                assert any(line.startswith(n + ":") for n in names), f"unattributed line {line!r}\n{describe(result)}"
    assert outcome.before == outcome.after, "files were modified:\n" + "\n".join(
        sorted(k for k in set(outcome.before) | set(outcome.after) if outcome.before.get(k) != outcome.after.get(k))
    )


@pytest.mark.parametrize("name", ALL_INPUTS)
@pytest.mark.parametrize("hv", HOOK_VARIANTS, ids=variant_id)
def test_each_bad_input_gives_at_most_one_line(matrix: dict[str, Outcome], hv: tuple, name: str) -> None:
    outcome = matrix[variant_id(hv)]
    result = outcome.result
    expect = EXPECT[name]
    if name.endswith("/unreadable.yaml") and outcome.root_reads_all:
        expect = CLEAN  # running as root: chmod 000 does not stop the read, the file is valid
    if not outcome.hook.pass_filenames:
        expect = AT_MOST_ONE  # reads the staged change: may rightly say "changed without X" once per file
    out, err = lines_about(result.stdout, name), lines_about(result.stderr, name)
    assert at_most_one_line(out, outcome.hook) and at_most_one_line(err, outcome.hook), describe(result)
    if expect == CLEAN:
        assert not out and not err, f"{name} is valid and must not be reported\n{describe(result)}"
    for line in out + err:
        assert "\n" not in line and len(line) < 500, line


def test_unreadable_file_is_reported_as_unreadable_when_not_root(tmp_path: Path) -> None:
    """The non-root half of the chmod 000 case (as root, reads succeed: see above)."""
    target = tmp_path / "unreadable.yaml"
    target.write_text("name: billing\n")
    target.chmod(0)
    try:
        if can_read_unreadable(tmp_path, "unreadable.yaml"):
            pytest.skip("running as root: chmod 000 does not stop reads (covered as a clean file)")
        for hook, variant in HOOK_VARIANTS:
            root = prepare_cwd(hook, tmp_path / variant_id((hook, variant)))
            name = "production/unreadable.yaml"
            (root / "production").mkdir()
            shutil.copy(target, root / name)
            result = run_hook(hook, root, [*variant, *inputs_for(hook, root, [name])],
                              timeout=RUN_BUDGET * checks_in(hook))
            assert result.returncode in (0, 1), describe(result)
            assert_no_traceback(result)
            assert len(lines_about(result.stdout, name)) <= 1, describe(result)
    finally:
        target.chmod(0o600)


@pytest.mark.parametrize("size_args", [(), ("--max-file-size", "0")], ids=["default-limit", "no-limit"])
@pytest.mark.parametrize("hv", HOOK_VARIANTS, ids=variant_id)
def test_50mb_file_with_and_without_the_size_limit(
    tmp_path: Path, big_files: Path, hv: tuple, size_args: tuple[str, ...]
) -> None:
    hook, variant = hv
    if not (hook.pass_filenames and hook.setup.shared_flags):
        pytest.skip(f"{hook.id} takes no file names or no --max-file-size (its run over the 50 MB files is in the matrix)")
    root = prepare_cwd(hook, tmp_path / "repo")
    (root / "production").mkdir()
    names = ["production/huge.yaml", "production/huge.json"]
    for name in names:
        os.link(big_files / Path(name).name, root / name)
    before = fingerprint_tree(root)
    result = run_hook(hook, root, [*variant, *size_args, *names], timeout=BIG_BUDGET * len(names) * checks_in(hook))
    assert result.returncode in (0, 1), describe(result)
    assert_no_traceback(result)
    for name in names:
        out, err = lines_about(result.stdout, name), lines_about(result.stderr, name)
        assert at_most_one_line(out, hook) and at_most_one_line(err, hook), describe(result)
        if size_args:  # no limit: the file is read, and it is valid
            assert not out and not err, describe(result)
        else:  # the default limit skips it with at most a one-line notice on stderr
            assert not out, describe(result)
            assert all("skipped" in line for line in err), describe(result)
    assert fingerprint_tree(root) == before


def test_the_matrix_covers_every_hook_in_the_manifest() -> None:
    from tests.helpers.reliability import hooks

    ids = {h.id for h in hooks()}
    assert ids and ids == {h.id for h, _ in HOOK_VARIANTS}
    for hook in hooks():
        assert Path(hook.exe).exists(), f"{hook.id}: console script {hook.exe} is not installed"


def test_environment_has_no_leaking_settings() -> None:
    env = clean_env()
    assert not any(k.startswith(("LEGACY_CONFIG_HOOKS_", "PRE_COMMIT")) for k in env)
