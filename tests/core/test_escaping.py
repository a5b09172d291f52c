"""hooks.core.escaping: a value from a user's file reaches each output one way
(issue 22; the attacks themselves run in tests/test_hostile_inputs.py)."""
from __future__ import annotations

import pytest

from hooks.core.escaping import github_data, github_property, html, lines, markdown, text
from hooks.core.findings import Finding

BIDI = "\u202e"
SCRIPTS = (
    "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">",
    "<script>alert(1)</script>",
    "\"><svg onload=alert(1)>",
    "'><iframe srcdoc=\"<script>alert(1)</script>\">",
)
MARKDOWN = ("![x](http://tracker.invalid/p.png)", "[click](javascript:alert(1))", "<img src=x>")


def test_a_finding_is_one_line_whatever_its_path_and_message_hold() -> None:
    forged = "dup.yaml\nforged.yaml:1:1: no-inline-secrets: FORGED"
    line = Finding("h", forged, 1, 1, f"key\x1b[2J{BIDI}\r\nx").format_text()
    assert "\n" not in line and "\r" not in line and "\x1b" not in line and BIDI not in line
    assert line.startswith("dup.yaml\\nforged.yaml:1:1: no-inline-secrets: FORGED:1:1: h: key\\x1b[2J\\u202e")


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("plain text: a.yaml", "plain text: a.yaml"),
        ("a\nb", "a\\nb"),
        ("a\u2028b\u0085c\x00", "a\\u2028b\\x85c\\x00"),
        ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),
        ("tab\tkept", "tab\tkept"),
        ("zero\u200bwidth\ufeff", "zero\\u200bwidth\\ufeff"),
    ],
)
def test_text_shows_invisible_and_line_breaking_characters_escaped(raw: str, shown: str) -> None:
    assert text(raw) == shown


def test_lines_keeps_line_breaks_and_crlf_ends() -> None:
    assert lines("a\x1b\r\nb\n") == "a\\x1b\r\nb\n"


@pytest.mark.parametrize("payload", [*SCRIPTS, *MARKDOWN])
def test_html_and_markdown_show_markup_as_text(payload: str) -> None:
    assert "<" not in html(payload) and '"' not in html(payload) and "'" not in html(payload)
    shown = markdown(payload)
    assert "<" not in shown and "![" not in shown and "](" not in shown and "|" not in shown.replace("\\|", "")


def test_numbers_go_through_the_same_function() -> None:
    assert html(5) == "5" and html(1.5) == "1.5" and markdown(3) == "3"


def test_github_commands_cannot_be_split_or_forged() -> None:
    assert github_data("a\nb\r%") == "a%0Ab%0D%25"
    assert github_property("a:b,c\n") == "a%3Ab%2Cc%0A"
    assert "\x1b" not in github_data("\x1b[2J")
