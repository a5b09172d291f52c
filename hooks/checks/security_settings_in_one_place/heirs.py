"""The views that inherit a CSRF exemption from a base view (held-out round 13).

OnlineJudge's ``utils/api/api.py`` defines ``class CSRFExemptAPIView(APIView)`` with
``@method_decorator(csrf_exempt)`` on ``dispatch`` and no handler of its own; the
views that write (an admin's problem import, the editor's uploads) subclass it in
other modules. The base alone shows no write, so the exemption's evidence is in
its heirs.

:class:`ClassIndex` finds them by name, with ``ast`` only: one ``git grep`` of
the repository's class statements (an index of which classes name which bases),
then the modules of the classes that name the base are parsed. Nothing is
looked up until an exemption on a base has no evidence of its own, so a commit
that stages no such base pays nothing; one that does pays one grep and the
parse of its heirs' modules. A name the repository defines twice is
followed only where the subclass's module imports it from the base's module.
"""
from __future__ import annotations

import ast
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from hooks.checks.security_settings_in_one_place.views import Decorators, _name

# Enough for a view hierarchy (a base, its API bases, their views); a name that
# hundreds of classes subclass is a framework's, not one exempt base's heirs.
MAX_HEIRS = 200
MAX_DEPTH = 4

# class Name(bases...: the name and what follows the parenthesis (to the line's end, or further for a long header)
_HEADER = re.compile(r"\s*class\s+([A-Za-z_]\w*)\s*\((.*)", re.S)
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")


@dataclass
class Module:
    """A repository module read for its classes."""

    path: str
    tree: ast.Module
    lines: list[str]
    decorators: Decorators


@dataclass
class Heir:
    """A class that inherits the exemption, with what it inherits it through
    (its bases found in the repository, nearest first)."""

    cls: ast.ClassDef
    module: Module
    chain: list[ast.ClassDef] = field(default_factory=list)


@dataclass
class ClassIndex:
    """Classes of the repository by the names of their bases, built on demand
    per name and kept for the run."""

    max_bytes: int = 10 * 1024 * 1024
    _modules: dict[str, Module | None] = field(default_factory=dict)
    _by_base: dict[str, list[tuple[str, str]]] | None = None  # a base's name -> (path, name) of the classes naming it
    _defined: dict[str, set[str]] = field(default_factory=dict)  # a class's name -> the files that define one

    def module(self, path: str) -> Module | None:
        path = os.path.normpath(path)
        if path not in self._modules:
            from hooks.config import python_trees, source

            try:
                text = source.read_text(path, self.max_bytes)
                tree = python_trees.parse(text, path, report=False)  # another file read for context: not reported
            except Exception:  # unreadable, too big or broken: its classes are not read
                self._modules[path] = None
            else:
                self._modules[path] = Module(path, tree, text.splitlines(), Decorators(path, tree, self.max_bytes))
        return self._modules[path]

    def _class_lines(self) -> dict[str, list[tuple[str, str]]]:
        """Every class statement of the tracked Python files, by the names in its
        bases (``class ImportProblemAPI(CSRFExemptAPIView, Mixin):`` is listed under
        both): (path, class name). One ``git grep`` for the whole repository; a
        header whose bases go on over several lines is completed from the file."""
        if self._by_base is not None:
            return self._by_base
        import subprocess

        self._by_base = {}
        env = {k: v for k, v in os.environ.items() if not (k.startswith("GIT_") and k.endswith("_PATHSPECS"))}
        # a fixed string, the statement's shape checked below: git's ERE with an anchor is ten times slower
        cmd = ["git", "-c", "grep.fallbackToNoIndex=false", "-c", "grep.patternType=fixed", "grep", "-n", "-z", "-I", "-F",
               "--no-color", "--no-textconv", "--no-recurse-submodules", "-e", "class ", "--", "*.py"]
        try:
            proc = subprocess.run(cmd, capture_output=True, check=False, env={**env, "LC_ALL": "C"})
        except OSError:
            return self._by_base  # no git: no repository to search
        if proc.returncode not in (0, 1):
            return self._by_base
        for record in proc.stdout.decode("utf-8", "surrogateescape").splitlines():
            path, _, rest = record.partition("\0")
            number, _, text = rest.partition("\0")
            match = _HEADER.match(text)
            if match is None or not number.isdigit():
                continue
            bases = match.group(2)
            if bases.count("(") + 1 > bases.count(")"):
                bases = self._header(path, int(number)) or bases  # class X(\n    Base,\n):
            path = os.path.normpath(path)
            self._defined.setdefault(match.group(1), set()).add(path)
            for name in set(_IDENTIFIER.findall(bases)):
                self._by_base.setdefault(name, []).append((path, match.group(1)))
        return self._by_base

    def _header(self, path: str, line: int) -> str:
        """The bases of the class statement at ``line``, read on to its closing parenthesis."""
        from hooks.config import source

        try:
            lines = source.read_text(path, self.max_bytes).splitlines()
        except Exception:  # unreadable: the first line's bases only
            return ""
        text = "\n".join(lines[line - 1:line + 40])
        match = _HEADER.match(text)
        if match is None:
            return ""
        depth, out = 1, []
        for char in match.group(2):
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth == 0:
                break
            out.append(char)
        return "".join(out)

    def _files_naming(self, name: str) -> list[str]:
        """The files with a class statement that names ``name`` among its bases, or defines it."""
        by_base = self._class_lines()
        return sorted({p for p, _ in by_base.get(name, [])} | self._defined.get(name, set()))

    def definitions(self, name: str) -> list[tuple[Module, ast.ClassDef]]:
        """Every top-level ``class name`` of the repository."""
        out = []
        for path in self._files_naming(name):
            module = self.module(path)
            if module is not None:
                out += [(module, n) for n in module.tree.body if isinstance(n, ast.ClassDef) and n.name == name]
        return out

    def subclasses(self, base: ast.ClassDef, home: str) -> list[tuple[Module, ast.ClassDef]]:
        """The top-level classes of the repository that name ``base`` (defined in
        ``home``) among their bases, and mean it: the module that defines it, or a
        module that does not define a class of that name itself, when the
        repository defines it once; when twice or more, a module that imports it
        from ``home``."""
        home = os.path.normpath(home)
        unique = len(self.definitions(base.name)) <= 1
        out = []
        for path in self._files_naming(base.name):
            module = self.module(path)
            if module is None:
                continue
            own = any(isinstance(n, ast.ClassDef) and n.name == base.name for n in module.tree.body)
            if path == home:
                means = True
            elif own:
                means = False  # the module's own class of that name
            elif unique:
                means = True
            else:
                imported = module.decorators.imports.get(base.name)
                means = imported is not None and imported[2] == base.name \
                    and module.decorators._module_file(imported[0], imported[1]) == home
            if not means:
                continue
            for node in module.tree.body:
                if isinstance(node, ast.ClassDef) and node is not base and any(
                        isinstance(b, (ast.Name, ast.Attribute)) and _name(b) == base.name for b in node.bases):
                    out.append((module, node))
        return out

    def heirs(self, base: ast.ClassDef, home: str, chain: list[ast.ClassDef],
              in_scope: Callable[[str], bool]) -> list[Heir]:
        """The classes that inherit from ``base`` (of ``home``, whose bases in the
        repository are ``chain``, ``base`` first), directly or through one another,
        in the modules ``in_scope`` keeps (not tests)."""
        out: list[Heir] = []
        todo: list[tuple[ast.ClassDef, str, list[ast.ClassDef], int]] = [(base, home, chain, 0)]
        seen = {id(base)}
        while todo and len(out) < MAX_HEIRS:
            parent, where, parent_chain, depth = todo.pop(0)
            if depth >= MAX_DEPTH:
                continue
            for module, cls in self.subclasses(parent, where):
                if id(cls) in seen:
                    continue
                seen.add(id(cls))
                heir_chain = self._chain(cls, module, parent, parent_chain)
                if in_scope(module.path):
                    out.append(Heir(cls, module, heir_chain))
                todo.append((cls, module.path, heir_chain, depth + 1))
        return out[:MAX_HEIRS]

    def _chain(self, cls: ast.ClassDef, module: Module, parent: ast.ClassDef, parent_chain: list[ast.ClassDef]) -> list[ast.ClassDef]:
        """``cls``, its bases in its module, the bases it imports from the repository
        (a mixin beside the exempt base), and ``parent``'s chain."""
        from hooks.checks.security_settings_in_one_place.views import class_chain

        chain = [c for c in class_chain(cls, module.tree) if c is not parent]
        for c in list(chain):
            for b in c.bases:
                name = _name(b) if isinstance(b, (ast.Name, ast.Attribute)) else ""
                if not name or name == parent.name or any(k.name == name for k in chain):
                    continue
                found = module.decorators.class_definition(name)
                if found is not None and found[0] not in chain:
                    chain += [k for k in class_chain(found[0], found[1]) if k not in chain]
        return chain + [c for c in parent_chain if c not in chain]
