"""The INI family: configparser's dialect first, configobj's as the fallback.

Most Python INI files (setup.cfg, tox.ini, alembic.ini, PasteDeploy, uwsgi,
oslo.config) are written for configparser: indented continuation lines, ``;``
comments, ``%(here)s``. configobj rejects many of them, but it is the parser for
files with options before any section or nested ``[[sub]]`` sections. Neither
library reports where a key is written, so after the library has accepted the
file, a line scan that uses the same grammar (configparser's own regexes, or
configobj's section depth) records each key's line.
"""
from __future__ import annotations

import re

from hooks.config.document import MULTI_VALUE, SCALAR, SECTION, Document, Entry, ParseError

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time, annotations are strings
if TYPE_CHECKING:
    from typing import Any

# Sections whose options are multi-valued by design: repeating them adds values.
# uwsgi: every option may repeat (env, mount, route, ...);
# systemd unit files: Environment=, ExecStartPre=, After=, ...
MULTI_VALUE_SECTIONS = frozenset(
    {"uwsgi", "Unit", "Service", "Install", "Socket", "Timer", "Mount", "Path", "Slice", "Scope"}
)
# oslo-config-generator files list one ``namespace`` per line under [DEFAULT].
_OSLO_GENERATOR_KEYS = {"namespace", "output_file", "wrap_width", "summarize"}
# Nagios/Icinga/Shinken main config (nagios.cfg, shinken.cfg; options before any
# section): every cfg_dir / cfg_file / resource_file line includes one more
# directory or file; the program reads them all, none wins.
_INCLUDE_DIRECTIVES = frozenset({"cfg_dir", "cfg_file", "resource_file"})

_COMMENT_PREFIXES = ("#", ";")


def load(doc: Document) -> None:
    error = _configparser_error(doc.text)
    if error is None:
        doc.entries = _scan_configparser(doc.text)
    else:
        fallback = _configobj_error(doc.text)
        if fallback is None:
            doc.entries = _scan_configobj(doc.text)
        else:
            other = not_ini(doc.text)
            if other is not None:
                # A GRUB script or a shell fragment named .cfg: another program's
                # config, not a broken INI file. Skipped (--verbose), never reported.
                doc.error = ParseError(f"not INI: {other[0]}", other[1], 1, certain=False)
                return
            certain = not doc.path.endswith((".conf", ".conf-sample"))
            doc.error = ParseError(error[0], error[1], 1, certain=certain)
            return
    _mark_multi_values(doc.entries)


# A whole-line [section] header, not a shell test such as ``[ -r "$f" ]``.
_HEADER = re.compile(r"^\[(?!\s*-[a-zA-Z]\s)[^\[\]]+\]\s*([#;].*)?$")
_KEY_VALUE = re.compile(r"^[\w.\-]+(\s*[:=]\s*|\s*$)")
_BLOCK = re.compile(r"\{\s*$|^\}")
_SHELL = re.compile(r"^(if|then|else|elif|fi|for|while|do|done|case|esac|set|export|source|echo|function"
                    r"|insmod|menuentry|submenu|exit|return|local|unset|shift|readonly)\b|^\.\s|^#!|\$\{|\$\(")


def not_ini(text: str) -> tuple[str, int] | None:
    """Why a file with an INI suffix (.cfg, .conf) that no INI parser accepts is
    some other program's config, or None when its content says INI: a
    ``[section]`` header, or ``key = value`` lines, before the first line that is
    not INI (then it is a broken INI file). The reason names
    the shape of that first line, never its text (it may hold a value)."""
    first_bad: int | None = None
    keys = False
    for lineno, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        if lineno == 1 and stripped.startswith("#!"):
            return ("a script (#! line 1)", 1)
        if not stripped or stripped.startswith(_COMMENT_PREFIXES):
            continue
        if _HEADER.match(stripped):
            return None  # sections first: an INI file, broken further down
        if raw[:1] in (" ", "\t") or _KEY_VALUE.match(stripped) and not _SHELL.search(stripped):
            keys = True
            continue  # key = value, key: value or a continuation before any section
        first_bad = lineno
        if _BLOCK.search(stripped):
            return (f"a {{ ... }} block on line {lineno} and no [section] before it (GRUB, nginx-style config)", lineno)
        if _SHELL.search(stripped):
            return (f"a shell/script statement on line {lineno} and no [section] before it", lineno)
        break
    if first_bad is None or keys:
        return None  # key = value lines, then something else: a broken INI file
    return (f"line {first_bad} is neither a [section], key = value nor a comment, and no [section] comes before it",
            first_bad)


def _parser() -> Any:
    import configparser

    return configparser.RawConfigParser(
        strict=False,  # duplicates are for our hook to report, not a parse error
        allow_no_value=True,
        interpolation=None,
        comment_prefixes=_COMMENT_PREFIXES,
        default_section="\x00no-default",  # keep [DEFAULT] an ordinary section
    )


def _configparser_error(text: str) -> tuple[Any, ...] | None:
    import configparser

    try:
        _parser().read_string(text)
    except configparser.MissingSectionHeaderError as exc:
        return (f"option outside any [section] (line {exc.lineno})", exc.lineno)
    except configparser.ParsingError as exc:
        errors = getattr(exc, "errors", [])
        lineno = errors[0][0] if errors else 1
        return (f"line {lineno} is not a [section], key = value or comment", lineno)
    except configparser.Error as exc:
        return (str(exc).splitlines()[0], getattr(exc, "lineno", 1) or 1)
    except (AttributeError, TypeError, ValueError):
        # configparser trips over a value-less key followed by an indented line.
        return ("a key without a value is followed by an indented continuation line", 1)
    return None


def _scan_configparser(text: str) -> list[Any]:
    """Keys and sections with their lines, by configparser's grammar."""
    import configparser

    sectcre = configparser.RawConfigParser.SECTCRE
    optcre = configparser.RawConfigParser.OPTCRE_NV
    entries: list[Any] = []
    section: str | None = None
    option: list[Any] | None = None  # [path, line, column, value lines, indent]
    for lineno, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r")
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if not stripped or stripped.startswith(_COMMENT_PREFIXES):
            if option is not None and not stripped:
                option[3].append("")
            continue
        if option is not None and indent > option[4]:
            option[3].append(stripped)  # continuation line
            continue
        if option is not None:
            entries.append(_option_entry(option))
            option = None
        match = sectcre.match(stripped)
        if match:
            section = match.group("header")
            entries.append(Entry((section,), lineno, 1, SECTION))
            continue
        match = optcre.match(stripped)
        if match and section is not None:
            key = match.group("option").rstrip()
            value = match.group("value")
            option = [(section, key), lineno, indent + 1, [value.strip() if value else ""], indent]
    if option is not None:
        entries.append(_option_entry(option))
    return entries


def _option_entry(option: list[Any]) -> Entry:
    path, line, column, values, _indent = option
    while values and values[-1] == "":
        values.pop()
    value = "\n".join(values)
    return Entry(path, line, column, SCALAR, value, value)


_CO_SECTION = re.compile(r"^(\[+)\s*(.*?)\s*(\]+)\s*(#.*)?$")
_CO_OPTION = re.compile(r"^([^=]+?)\s*=\s*(.*)$")


def _configobj_error(text: str) -> tuple[Any, ...] | None:
    from configobj import ConfigObj, ConfigObjError, DuplicateError

    try:
        ConfigObj(text.splitlines(), list_values=False, interpolation=False, raise_errors=False)
    except ConfigObjError as exc:
        errors = [e for e in getattr(exc, "errors", []) if not isinstance(e, DuplicateError)]
        if errors:
            first = errors[0]
            line = getattr(first, "line_number", 1) or 1
            return (f"{str(first).split(':')[0].strip()} (line {line})", line)
    except Exception as exc:  # configobj raises plain errors on some inputs
        return (f"invalid INI ({type(exc).__name__})", 1)
    return None


def _scan_configobj(text: str) -> list[Any]:
    """Keys and sections by configobj's grammar: ``[a]``, ``[[b]]`` nesting,
    options before the first section, triple-quoted multi-line values."""
    entries: list[Any] = []
    stack: list[Any] = []
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        lineno = index + 1
        stripped = lines[index].strip()
        index += 1
        if not stripped or stripped.startswith("#"):
            continue
        match = _CO_SECTION.match(stripped)
        if match and len(match.group(1)) == len(match.group(3)):
            depth = len(match.group(1))
            name = match.group(2).strip("\"'")
            stack = stack[: depth - 1] + [name]
            entries.append(Entry(tuple(stack), lineno, 1, SECTION))
            continue
        match = _CO_OPTION.match(stripped)
        if not match:
            continue
        key = match.group(1).strip().strip("\"'")
        value = match.group(2)
        for quote in ('"""', "'''"):
            if value.startswith(quote):
                body = value[3:]
                while quote not in body and index < len(lines):
                    body += "\n" + lines[index]
                    index += 1
                value = body.split(quote, 1)[0]
                break
        else:
            value = _strip_configobj_value(value)
        column = len(lines[lineno - 1]) - len(lines[lineno - 1].lstrip()) + 1
        entries.append(Entry(tuple(stack) + (key,), lineno, column, SCALAR, value, match.group(2)))
    return entries


def _strip_configobj_value(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    if " #" in value:
        value = value.split(" #", 1)[0].rstrip()
    return value


def _mark_multi_values(entries: list[Any]) -> None:
    """Flag options that are repeated on purpose, so no hook calls them duplicates."""
    keys = {e.path[-1] for e in entries if e.kind == SCALAR and len(e.path) == 2}
    oslo_generator = "namespace" in keys and bool(keys & (_OSLO_GENERATOR_KEYS - {"namespace"}))
    for i, entry in enumerate(entries):
        if entry.kind != SCALAR:
            continue
        if (
            len(entry.path) == 1 and entry.path[0] in _INCLUDE_DIRECTIVES
            or len(entry.path) >= 2 and entry.path[0] in MULTI_VALUE_SECTIONS
            or oslo_generator and entry.path[-1] == "namespace"
        ):
            entries[i] = Entry(
                entry.path, entry.line, entry.column, entry.kind, entry.value, entry.source,
                entry.flags | {MULTI_VALUE},
            )
