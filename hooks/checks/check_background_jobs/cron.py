"""Cron lines: crontab files, ``cron.d/*``, ``crontabs/*``, and crontab lines a
Dockerfile or shell script writes (``RUN echo "*/5 * * * * cmd" >> /etc/crontabs/root``).

busybox ``periodic/`` folders hold scripts that ``run-parts`` runs, not cron
lines, and uwsgi ``attach-daemon``/``cron`` options are not read here.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from hooks.checks.check_background_jobs import shell
from hooks.core.records import record

CRON_FILE = re.compile(r"(?i)(^|/)([^/]*crontab[^/]*|[^/]+\.cron|cron)$|(^|/)(cron\.d|crontabs|cron)/[^/.][^/]*$")
NOT_CRON = re.compile(r"(?i)\.(py|sh|md|rst|txt\.j2|json|ya?ml|toml|ini|cfg|js|ts|rb|go|lock)$|(^|/)periodic/")
SHELLISH = re.compile(r"(?i)(^|/)(Dockerfile[^/]*|[^/]*\.dockerfile|Containerfile|[^/]+\.sh|entrypoint[^/]*|docker-entrypoint[^/]*)$")
_NICK = re.compile(r"^@(reboot|yearly|annually|monthly|weekly|daily|midnight|hourly|every_?\w*)$", re.I)
_FIELD = re.compile(r"^(\*|\?|H|[0-9*][0-9*/,\-]*[0-9*]?|[A-Za-z]{3}([,-][A-Za-z]{3})*|[0-9A-Za-z*/,\-#LW]+)$")
_ENV_LINE = re.compile(r"^\s*[A-Za-z_][A-Za-z0-9_]*\s*=")
_SYSTEM_USERS = frozenset({"root", "www-data", "nobody", "daemon", "app", "apache", "nginx", "django", "celery",
                           "ubuntu", "deploy", "postgres", "www", "http", "user"})
_GUARD = re.compile(r"\b(flock|run-one|run-this-one|lockrun|lckdo|solo|setlock|chpst\s+-L|with-lock-ex|pgrep|pidof|cronlock)\b|--lock\b|\.lock\b|lockfile")


@record
class CronLine:
    path: str
    line: int
    schedule: list[str]
    command: str
    text: str
    system: bool = False

    @property
    def frequent(self) -> bool:
        """More often than hourly: the minute field names more than one minute."""
        if not self.schedule or self.schedule[0].startswith("@"):
            return self.schedule[0].lower().startswith("@every") if self.schedule else False
        minute = self.schedule[0]
        return minute in ("*", "?") or "/" in minute or "," in minute or "-" in minute

    @property
    def guarded(self) -> bool:
        return _GUARD.search(self.command) is not None


def is_cron_file(path: str) -> bool:
    return CRON_FILE.search(path) is not None and NOT_CRON.search(path) is None


def _is_field(word: str, minute: bool) -> bool:
    if not _FIELD.match(word):
        return False
    if minute:
        return word[0].isdigit() or word[0] in "*?H"
    return True


def split(text: str, system: bool = False) -> tuple[list[str], str] | None:
    """(schedule fields, command) of one cron line, or None when it is not one."""
    stripped = text.strip()
    if not stripped or stripped.startswith("#") or _ENV_LINE.match(stripped):
        return None
    words = stripped.split(None, 6 if not _NICK.match(stripped.split(None, 1)[0]) else 2)
    if _NICK.match(words[0]):
        rest = stripped.split(None, 1)[1] if len(words) > 1 else ""
        schedule = [words[0]]
    else:
        if len(words) < 6 or not all(_is_field(w, i == 0) for i, w in enumerate(words[:5])):
            return None
        schedule = words[:5]
        rest = stripped.split(None, 5)[5]
    if not rest:
        return None
    first, _, after = rest.partition(" ")
    if (system or first in _SYSTEM_USERS) and after.strip():
        rest = after.strip()
    return schedule, _command(rest)


def _command(rest: str) -> str:
    """Cron ends the command at the first unescaped % (the rest is stdin); \\% is a %."""
    out: list[str] = []
    i = 0
    while i < len(rest):
        c = rest[i]
        if c == "\\" and i + 1 < len(rest) and rest[i + 1] == "%":
            out.append("%")
            i += 2
            continue
        if c == "%":
            break
        out.append(c)
        i += 1
    return "".join(out).strip()


def crontab_lines(path: str, text: str) -> Iterator[CronLine]:
    system = "cron.d/" in path or path.endswith("etc/crontab")
    for number, raw in enumerate(text.splitlines(), 1):
        got = split(raw, system)
        if got is not None:
            yield CronLine(path, number, got[0], got[1], raw.strip(), system)


_WRITES_CRON = re.compile(r"crontab|/cron\.d/|/crontabs/|cron\b", re.I)


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Dockerfile/shell lines with backslash continuations joined, with their first line number."""
    buf: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), 1):
        if not buf:
            start = number
        if raw.rstrip().endswith("\\"):
            buf.append(raw.rstrip()[:-1])
            continue
        buf.append(raw)
        yield start, " ".join(buf)
        buf = []
    if buf:
        yield start, " ".join(buf)


def written_lines(path: str, text: str) -> Iterator[CronLine]:
    """Crontab lines a Dockerfile RUN or a shell script writes with echo/printf."""
    if "cron" not in text.lower():
        return
    lines = text.splitlines()
    for start, logical in _logical_lines(text):
        if not _WRITES_CRON.search(logical) or not re.search(r"\b(echo|printf)\b", logical):
            continue
        body = re.sub(r"^\s*RUN\s+", "", logical)
        try:
            tokens = shell.lex(body)
        except shell.ShellError:
            continue
        for kind, word in tokens:
            if kind != "word" or " " not in word:
                continue
            for piece in re.split(r"\\n|\n", word):
                got = split(piece)
                if got is None:
                    continue
                line = _find_line(lines, start, piece.strip()[:20])
                yield CronLine(path, line, got[0], got[1], piece.strip())


def _find_line(lines: list[str], start: int, needle: str) -> int:
    for i in range(start - 1, min(len(lines), start + 40)):
        if needle and needle in lines[i]:
            return i + 1
    return start
