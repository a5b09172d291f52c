"""The one shape every hook reports in."""
from __future__ import annotations

from hooks.core.records import field, record


@record(frozen=True)
class Finding:
    """A problem at ``path:line:column``.

    ``identity`` says *what* the problem is (for example ``("duplicate",
    "database.host")``) without saying *where*: with the hook id and the file,
    it makes the fingerprint, which therefore survives edits above the line.
    It must never hold a secret value in clear (hash it first).
    """

    hook_id: str
    path: str
    line: int
    column: int
    message: str
    identity: tuple[str, ...] = ()
    severity: str = "error"
    occurrence: int = field(default=0, compare=False)

    @property
    def fingerprint(self) -> str:
        import hashlib

        from hooks.config.paths import normalise

        path = normalise(self.path)
        parts = (self.hook_id, path, *self.identity, str(self.occurrence))
        return hashlib.sha256("\x00".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:20]

    def format_text(self) -> str:
        """``path:line:col: hook-id: message`` on one line, whatever the path
        and message hold (``hooks.core.escaping.text``)."""
        from hooks.core.escaping import text

        return f"{text(self.path)}:{int(self.line)}:{int(self.column)}: {text(self.hook_id)}: {text(self.message)}"
