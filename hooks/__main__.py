"""``python -m hooks <hook-id> [args...]``: any hook of the collection by its id."""
from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from hooks.core import registry, runner

    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help") or args[0] not in registry.HOOKS:
        known = ", ".join(registry.ids())
        if args and args[0] not in ("-h", "--help"):
            sys.stderr.write(f"legacy-config-hooks: error: unknown hook {args[0]!r} (hooks: {known})\n")
            return 2
        sys.stdout.write(f"usage: python -m hooks <hook-id> [options] [files]\nhooks: {known}\n")
        return 0
    return runner.main(registry.get(args[0]), args[1:])


if __name__ == "__main__":
    raise SystemExit(main())
