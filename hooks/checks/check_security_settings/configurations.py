"""django-configurations: class-based Django settings.

``DJANGO_CONFIGURATION=Production`` (in ``wsgi.py``/``asgi.py``, a Dockerfile,
a compose file, a Procfile, an env file) names the class of the settings module
(``DJANGO_SETTINGS_MODULE``) that production runs: its class attributes, with
its bases applied (``class Production(Base)``), are the settings.
``values.Value(default)``, ``values.BooleanValue(True)``, ... read
``DJANGO_<NAME>`` from the environment with that default;
``values.SecretValue()`` reads it with no default (required).
"""
from __future__ import annotations

import ast
import re
from collections.abc import Sequence

from hooks.checks.check_security_settings import transport
from hooks.common.settings_layers import Module, Namespace, Resolver, class_names, parse
from hooks.common.settings_values import ENV, Val
from hooks.config.python_trees import literal as _literal

CONFIGURATION = re.compile(r"""DJANGO_CONFIGURATION['"]?\s*(?:,|=|:)\s*['"]?([A-Za-z_]\w*)""")
SETTINGS_MODULE = re.compile(r"""DJANGO_SETTINGS_MODULE['"]?\s*(?:,|=|:)\s*['"]?([A-Za-z_][\w.]*)""")
# Where production's start-up sets the variables (manage.py only when it names a production class).
START = re.compile(r"(^|/)(wsgi|asgi|manage)\.py$|(^|/)(Dockerfile[^/]*|Procfile[^/]*|[^/]*compose[^/]*\.ya?ml|\.env[^/]*|[^/]*\.env|[^/]*\.service)$")


def _value_call(node: ast.expr) -> str:
    """``values.BooleanValue(...)`` / ``BooleanValue(...)`` -> "BooleanValue"."""
    if not isinstance(node, ast.Call):
        return ""
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return name if name.endswith("Value") and name[:1].isupper() else ""


def _env_read(name: str, call: ast.Call, path: str) -> Val:
    kind = _value_call(call)
    keywords = {k.arg: k.value for k in call.keywords if k.arg}
    ok, environ = _literal(keywords.get("environ"))
    if ok and environ is False:
        ok, value = _literal(call.args[0] if call.args else keywords.get("default"))
        return Val("literal", value, None, False, path, call.lineno) if ok else Val("unknown", None, None, False, path, call.lineno)
    _, env_name = _literal(keywords.get("environ_name"))
    ok, prefix = _literal(keywords.get("environ_prefix"))
    variable = str(env_name) if env_name else (f"{prefix}_" if ok and prefix else "" if ok else "DJANGO_") + name
    if kind == "SecretValue" or not (call.args or "default" in keywords):
        return Val(ENV, None, variable, False, path, call.lineno)
    ok, value = _literal(call.args[0] if call.args else keywords.get("default"))
    return Val(ENV, value, variable, ok, path, call.lineno)


def class_settings(mod: Module, cls: str, resolver: Resolver, text: str) -> Namespace:
    """The class's settings, bases applied, with ``values.*Value(...)`` read from the environment."""
    names, chain = class_names(mod, cls, resolver)
    tree = parse(text)
    if tree is None:
        return names
    reads: dict[str, dict[str, Val]] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            own = reads.setdefault(node.name, {})
            for stmt in node.body:
                if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) \
                        and isinstance(stmt.value, ast.Call) and _value_call(stmt.value):
                    own[stmt.targets[0].id] = _env_read(stmt.targets[0].id, stmt.value, mod.path)
    out = dict(names)
    for c in chain:  # base first: a later class's read wins, as its plain assignment would
        for name, val in reads.get(c, {}).items():
            current = out.get(name)
            if current and current[-1].line == val.line:
                out[name] = (val,)
    return out


def mixin_evidence(mod: Module, resolver: Resolver, skip: Sequence[str] = ()) -> str:
    """A class of the settings module that turns HTTPS settings on (``class SSLSite:
    SESSION_COOKIE_SECURE = True``): the project serves production over HTTPS."""
    for name in mod.classes:
        if name in skip:
            continue
        evidence = transport.settings_evidence(class_names(mod, name, resolver)[0])
        if evidence:
            return f"{evidence} in class {name}"
    return ""
