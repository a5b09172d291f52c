"""Which files cannot hold a secret, judged from their raw text before any parser loads.

Most commits touch config files that hold no secret at all. ``no-inline-secrets``
asks this module first; a file it calls *plainly clean* cannot produce a finding,
so the hook skips parsing it, and a run where every file is plainly clean exits
before the runner, the YAML parser and the secret tables are imported (about 20 ms
instead of 65 ms for one small YAML file; docs/performance.md, section 1).

The test is conservative: every finding of the secret engine needs, on one line
of the file, something listed below, so a file without any of them is clean.

* a sensitive word (``STEMS``: every sensitive key name holds one, see
  ``secret_patterns.Compiled.sensitive``; the ``NAME`` of a compose default
  ``${NAME:-literal}`` is one), ``sig`` (signed URLs) or ``auths`` (Docker
  registry credentials), unless the line is a key and a value the engine never
  takes for a literal (``password: ${DB_PASSWORD}``, ``min_password_length: 12``);
* ``://`` and ``@`` on one line (a password in a URL);
* a token format that matches the line (``secret_patterns.any_token_format``:
  every format whose hint is on the line is tried);
* a backslash or a ``!!`` tag anywhere: escapes and binary values can spell
  any of the above.

A value is a substring of its line: YAML folds a scalar's lines with a space
or a newline, which no token, URL password or key name spans, and JSON strings
stay on one line.

Only YAML and JSON files are judged here: in other formats every line holds
``=``, and Python is read with ``ast``. Anything else, or any doubt (a flag, a
settings table, an environment override, a file the loaders cannot read),
goes to the full run. ``tests/test_secret_prefilter.py`` holds the promise
against the full engine on every labeled and corpus file.
"""
from __future__ import annotations

import re

from hooks.secrets.stems import STEMS, TOKENISH

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: this module is on the start-up path
if TYPE_CHECKING:
    from collections.abc import Sequence


MAX_BYTES = 1024 * 1024  # larger files go to the full run

_WORDS = re.compile(STEMS + r"|sig|auths")
_TOKENISH = re.compile(TOKENISH)
# A sensitive key and a value the engine never takes for a literal, nothing
# else on the line: a reference (``password: ${DB_PASSWORD}``, ``"password":
# "{{ vault_db_password }}",``), fewer than 4 characters (``password: ""``), a
# number or a boolean (``password_min_length: 12``, ``use_token: false``).
_KEY_AND_HARMLESS_VALUE = re.compile(
    r"""\s*(?:-\s+)?(?:"[\w.\-]+"|'[\w.\-]+'|[\w.\-]+)\s*:\s*"""
    r"""(?:(["']?)(?:\$\{[A-Za-z_][A-Za-z0-9_]*\}|\{\{\s*[\w.]+(?:\s*\|\s*\w+)?\s*\}\}|[\w.\-]{0,3})\1"""
    r"""|\d{1,5}|true|false|null|~|yes|no|on|off)\s*,?\s*"""
)


def plainly_clean(text: str) -> bool:
    """True when no line of ``text`` can give the secret engine a finding."""
    if "\\" in text or "!!" in text:
        return False
    for line in text.split("\n"):
        if _WORDS.search(line.lower()) and not _KEY_AND_HARMLESS_VALUE.fullmatch(line.rstrip("\r")):
            return False
        if "://" in line and "@" in line:
            return False
        if _TOKENISH.search(line):
            from hooks.secrets.patterns import any_token_format  # only for lines that look like tokens

            if any_token_format(line):
                return False
    return True


def judged_here(path: str) -> bool:
    """A YAML or JSON file, by name: the formats this module judges."""
    from hooks.config import formats

    return formats.detect(path) in (formats.YAML, formats.JSON)


def read_small(path: str, limit: int | None = MAX_BYTES) -> str | None:
    """The text of a file of at most ``limit`` bytes, read as every loader
    reads it, or None (missing, larger, binary, undecodable): the full run says why."""
    from hooks.config.source import ReadError, TooLarge, read_text

    try:
        return read_text(path, MAX_BYTES if limit is None else limit)
    except (ReadError, TooLarge):
        return None


def clean_run(argv: Sequence[str] | None) -> bool:
    """True when a run of the hook with these arguments would report nothing
    and print nothing: only file names, no settings, every file plainly clean."""
    import sys

    args = sys.argv[1:] if argv is None else list(argv)
    if not args or any(arg.startswith("-") for arg in args):
        return False
    from hooks.core import settings

    if settings.configured():
        return False
    for path in args:
        if not judged_here(path):
            return False
        text = read_small(path)
        if text is None or not plainly_clean(text):
            return False
    return True
