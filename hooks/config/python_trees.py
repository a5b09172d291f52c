"""Parse a Python module once for every check of a run that holds many hooks.

Every hook reads Python with ``ast`` only: the loader (settings modules as
documents), the three hooks that read the whole repository
(check-env-documented, check-cache-rules, check-security-settings) and a few
others parse the same modules. Under pre-commit each hook is its own process,
so there is nothing to share and :func:`parse` is plain ``ast.parse``. The
cleanup report runs every hook in one process and calls :func:`share`: a tree
is then kept, keyed by the module's text (the same text gives the same tree;
the file name only appears in a SyntaxError, and failures are not kept), and
handed to every later caller.

Memory stays bounded: trees are kept until their texts add up to
``max_source_bytes``; after that, new modules are parsed and not kept. Each
hook reads the repository in the same (sorted) order, so the modules kept
first are the ones every later pass asks for first; an LRU would evict each
tree just before the next pass needs it. Callers must not change a tree.
"""
from __future__ import annotations

import ast

_trees: dict[str, ast.Module] | None = None
_budget = 0
parsed = 0  # ast.parse calls made here (tests count them)


def share(max_source_bytes: int) -> None:
    """Keep trees from now on (the cleanup report), up to this much source."""
    global _trees, _budget
    _trees, _budget = {}, max_source_bytes


def stop() -> None:
    """Back to plain parsing; the kept trees are dropped."""
    global _trees, _budget
    _trees, _budget = None, 0


def parse(text: str, filename: str = "<unknown>") -> ast.Module:
    """``ast.parse(text, filename)``, shared when :func:`share` is on. Raises
    what ``ast.parse`` raises."""
    global parsed, _budget
    if _trees is not None:
        tree = _trees.get(text)
        if tree is not None:
            return tree
    parsed += 1
    tree = ast.parse(text, filename=filename)
    if _trees is not None and len(text) <= _budget:
        _trees[text] = tree
        _budget -= len(text)
    return tree
