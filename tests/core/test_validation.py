"""hooks.core.validation: JSON from outside the work tree is a regular file,
within a size limit and a depth, and matches its schema (issue 22)."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from hooks.core import baseline, validation


def test_nesting_is_counted_outside_strings() -> None:
    assert validation.nesting('{"a": "[[[[", "b": [[1]]}') == 3
    assert validation.nesting('["\\"[[["]') == 1


def test_deep_big_and_special_files_are_refused_before_json(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100000 + "]" * 100000)
    with pytest.raises(ValueError, match="nested 100000 deep"):
        validation.read_json(str(deep), "a report")
    with pytest.raises(ValueError, match="not a regular file"):
        validation.read_json("/dev/zero", "a report")
    os.mkfifo(tmp_path / "fifo.json")
    with pytest.raises(ValueError, match="not a regular file"):
        validation.read_json(str(tmp_path / "fifo.json"), "a report")
    big = tmp_path / "big.json"
    big.write_text("[" + "1," * 100 + "1]")
    with pytest.raises(ValueError, match="larger than"):
        validation.read_json(str(big), "a report", max_bytes=100)


@pytest.mark.parametrize(
    "data, where",
    [
        ({"hooks": 5}, ".hooks"),
        ({"hooks": {"Bad Id": {}}}, ".hooks"),
        ({"hooks": {"h": {"a.yaml": ["not-hex"]}}}, ".hooks.h.a.yaml[0]"),
        ({"hooks": {"h": {"a.yaml": "ab12cd34"}}}, ".hooks.h.a.yaml"),
        ({"hooks": {}, "version": 2}, ".version"),
        ({"hooks": {}, "extra": 1}, "the top level"),
        ([], "the top level"),
    ],
)
def test_a_baseline_is_held_to_its_schema(tmp_path: Path, data: object, where: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ValueError) as caught:
        baseline.load(str(path))
    assert f"not a legacy-config-hooks baseline: at {where}" in str(caught.value)


def test_the_fast_path_and_the_schema_agree_on_good_baselines(tmp_path: Path) -> None:
    good = {"version": 1, "generated_by": "legacy-config-hooks", "hooks": {"no-inline-secrets": {"a.yaml": ["ab12cd34ef"]}}}
    assert baseline._convert(good) == {"no-inline-secrets": {"a.yaml": {"ab12cd34ef"}}}
    validation.validate(good, baseline.SCHEMA, "b.json", baseline.WHAT)  # no error
