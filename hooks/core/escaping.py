"""How a value from a user's file reaches our output: one function per kind of
output, and nothing reaches output another way.

A key, a file name or a message can hold anything a hostile file puts there:
a newline that forges a ``path:line:col: hook: ...`` line, an ESC sequence
that rewrites the terminal, a bidi override that reorders what a reviewer
reads, Markdown image or link syntax that loads a tracker in a pull request,
HTML that runs a script in the report. So:

* :func:`text` (terminal and log output, every line a hook prints): control
  characters, ESC, DEL, C1 controls, bidi and other invisible formatting
  characters and every line break are shown escaped (``\\n``, ``\\x1b``,
  ``\\u202e``); a line stays one line.
* :func:`markdown`: :func:`text`, then every character Markdown or HTML could
  read as markup is backslash-escaped or written as an entity, so a cell shows
  the value as written and links nothing.
* :func:`html`: :func:`text` for the invisible characters, then HTML escaping
  (quotes included); numbers go through it too.
* :func:`github_data` and :func:`github_property`: GitHub's workflow-command
  escaping (``%25``, ``%0A``, ``%3A``, ``%2C``) after :func:`text`'s.
"""
from __future__ import annotations

import re

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time, annotations are strings
if TYPE_CHECKING:
    from typing import Any

# C0 controls but tab, DEL, C1 controls; bidi embeddings, overrides, isolates
# and marks; zero-width and other invisible format characters; line and
# paragraph separators.
_UNSAFE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]"
)
_SHORT = {"\n": "\\n", "\r": "\\r", "\x1b": "\\x1b"}
_MARKDOWN = re.compile(r"[\\`*\[\]()<>!|~&]")


def _escape_char(match: re.Match[str]) -> str:
    c = match.group(0)
    if c in _SHORT:
        return _SHORT[c]
    n = ord(c)
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


def text(value: Any) -> str:
    """One line of plain text: invisible and line-breaking characters escaped."""
    s = str(value)
    return _UNSAFE.sub(_escape_char, s) if _UNSAFE.search(s) else s


def lines(value: Any) -> str:
    """Text that is meant to be several lines (a diff, a table): each line
    through :func:`text`, the line breaks kept."""
    out = []
    for line in str(value).split("\n"):
        end = "\r" if line.endswith("\r") else ""  # CRLF text keeps its line ends
        out.append(text(line[: len(line) - len(end)]) + end)
    return "\n".join(out)


def markdown(value: Any) -> str:
    """Inline Markdown (a table cell, a heading): shows the value as written."""
    s = text(value)

    def one(match: re.Match[str]) -> str:
        c = match.group(0)
        if c in "<>&":
            return {"<": "&lt;", ">": "&gt;", "&": "&amp;"}[c]
        return "\\" + c

    return _MARKDOWN.sub(one, s)


def html(value: Any) -> str:
    """Text or an attribute value in HTML; every value in the report's page,
    numbers included, goes through here."""
    s = text(value)
    return (
        s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace('"', "&quot;").replace("'", "&#x27;").replace("`", "&#x60;")
    )


def github_data(value: Any) -> str:
    """The message part of a GitHub workflow command (``::error ...::data``)."""
    s = str(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text(s)


def github_property(value: Any) -> str:
    """A property of a GitHub workflow command (``file=``, ``title=``)."""
    return github_data(value).replace(":", "%3A").replace(",", "%2C")
