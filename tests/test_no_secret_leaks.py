"""No hook ever prints a secret: every hook in .pre-commit-hooks.yaml, in
every output format, over files holding known secret values; no value may
appear in full (nor all but its first two characters) in stdout, stderr, or
any file the run writes (a baseline, a report, a note).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.leaks import MALFORMED, S, leaks, secret_files
from tests.helpers.reliability import (
    Hook,
    assert_no_traceback,
    describe,
    fingerprint_tree,
    hook_variants,
    inputs_for,
    prepare_cwd,
    run_hook,
    variant_id,
    write_files,
)

FORMATS = ("text", "json", "sarif", "github")












def _runs(hook: Hook, fmt: str) -> list[tuple[str, ...]]:
    if not hook.setup.shared_flags:
        return [()]
    return [("--format", fmt), ("--format", fmt, "--write-baseline", "legacy-baseline.json")]


def check_run(hook: Hook, variant: tuple[str, ...], fmt: str, root: Path, files: dict[str, str]) -> int:
    """Run ``hook`` over ``files`` in ``root`` in format ``fmt``; assert no leak.
    Returns how many runs were made."""
    prepare_cwd(hook, root)
    write_files(root, files)
    args = inputs_for(hook, root, sorted(files))
    before = fingerprint_tree(root)
    runs = 0
    for extra in _runs(hook, fmt):
        result = run_hook(hook, root, [*variant, *extra, *args])
        runs += 1
        assert result.returncode in (0, 1), describe(result)
        assert_no_traceback(result)
        assert not leaks(result.stdout), f"stdout leaks {leaks(result.stdout)}:\n{describe(result)}"
        assert not leaks(result.stderr), f"stderr leaks {leaks(result.stderr)}:\n{describe(result)}"
        after = fingerprint_tree(root)
        for rel, state in after.items():
            if rel in files or state[0] != "file" or before.get(rel) == state:
                continue  # the inputs hold the secrets; only what the run wrote is checked
            text = (root / rel).read_text(encoding="utf-8", errors="replace")
            assert not leaks(text), f"{rel} written by {hook.id} leaks {leaks(text)}:\n{text[:2000]}"
    return runs


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("hv", hook_variants(), ids=variant_id)
def test_no_secret_in_any_output(tmp_path: Path, hv: tuple, fmt: str) -> None:
    hook, variant = hv
    if not hook.setup.shared_flags and fmt != "text":
        pytest.skip(f"{hook.id} has no --format")
    assert check_run(hook, variant, fmt, tmp_path / "repo", secret_files())


def _malformed_cases() -> list:
    # Regression: the dotenv parse error used to quote the first 40 characters
    # of the bad line, secret included (found by this suite, fixed in the core).
    return [
        pytest.param(hv, name, id=f"{variant_id(hv)}-{name}") for hv in hook_variants() for name in MALFORMED
    ]


@pytest.mark.parametrize("hv, name", _malformed_cases())
def test_no_secret_in_parse_errors(tmp_path: Path, hv: tuple, name: str) -> None:
    hook, variant = hv
    assert check_run(hook, variant, "text", tmp_path / "repo", {name: MALFORMED[name]})


def test_the_planted_files_do_hold_the_secrets() -> None:
    """Guards the test itself: every secret is planted, so ``leaks`` can fire."""
    text = "".join(secret_files().values())
    assert set(leaks(text)) == set(S)
    assert leaks(f"value masked: {S['password'][:2]}…, 20 chars") == []
