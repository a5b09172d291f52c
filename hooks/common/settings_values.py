"""Values of Python settings, worked out statically (``ast`` only, never imported).

A :class:`Val` is what a setting holds as far as the source tells: a literal, a
read of the environment (with the default it falls back to, if any), a secret
read from a file or store, or something unknown. Lists may hold :data:`OPAQUE`
items where part of the list could not be read (``[*get_apps(), "x"]``).
"""
from __future__ import annotations

import ast
import re
from typing import Any, Callable, Optional

from hooks.core.records import record, replace

LITERAL = "literal"
ENV = "env"  # read from the environment; ``value`` is the default when ``has_default``
SECRET = "secret"  # read from a secret file or store: not visible, and that is fine
UNKNOWN = "unknown"
MISSING = "missing"  # not set on this path through the module (see conditional branches)
INSTANCE = "instance"  # an instance of a class of the repo: value is (module path, class name)
# A name bound to a reader of the environment (``get = os.environ.get``, ``from os import getenv as
# fetch``, ``E = os.environ``): value is :data:`READ_FUNCTION` or :data:`READ_MAPPING`. Not a setting.
READER = "reader"
READ_FUNCTION = "os.getenv"  # called: name(variable, default)
READ_MAPPING = "os.environ"  # indexed or .get: name["X"], name.get("X", default)


class _Opaque:
    """A list item or dict value that could not be read."""

    def __repr__(self) -> str:
        return "…"


OPAQUE = _Opaque()


class EnvScheme:
    """A django-environ ``Env(...)`` object and the defaults its scheme gives."""

    def __init__(self, defaults: dict[str, Any]) -> None:
        self.defaults = defaults

    def __repr__(self) -> str:
        return "environ.Env(...)"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, EnvScheme) and other.defaults == self.defaults

    def __hash__(self) -> int:
        return id(self)


@record(frozen=True)
class Val:
    kind: str
    value: Any = None
    env: str | None = None
    has_default: bool = False
    path: str = ""
    line: int = 0
    condition: str = ""  # the test of the branch that set it, when set in a branch

    @property
    def visible(self) -> bool:
        """Is there a value to judge (a literal, or an environment default)?"""
        return self.kind == LITERAL or (self.kind == ENV and self.has_default)

    def at(self, path: str, line: int) -> Val:
        return replace(self, path=path, line=line)


Lookup = Callable[[str], Optional[Val]]
AttrLookup = Callable[[Val, str], Optional[Val]]

_ENV_FUNCS = {"getenv", "get_env", "env", "config", "getenv_bool", "get_env_variable", "get_env_var",
              "env_bool", "env_int", "env_list", "env_str", "bool_env", "int_env", "environ_get"}
_ENV_OBJECTS = {"env", "environ", "ENV", "config", "os", "settings_env"}
_CASTS = {"bool", "int", "float", "str", "list", "tuple", "json", "dict"}
_SECRET_WORDS = ("secret", "vault", "ssm", "keyring", "credential", "urandom", "token_hex", "token_urlsafe")
TRUE_WORDS = {"1", "true", "yes", "on", "t", "y"}


def source(node: ast.AST, limit: int = 60) -> str:
    try:
        text = ast.unparse(node)
    except Exception:  # ast.unparse is best effort on odd trees
        return "…"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _func_name(func: ast.expr) -> tuple[str, str]:
    """(object, name): ``env.bool`` -> ("env", "bool"); ``getenv`` -> ("", "getenv")."""
    if isinstance(func, ast.Name):
        return "", func.id
    if isinstance(func, ast.Attribute):
        inner = func.value
        if isinstance(inner, ast.Name):
            return inner.id, func.attr
        if isinstance(inner, ast.Attribute):
            return inner.attr, func.attr
        return "", func.attr
    return "", ""


# An environment variable's name given to a project helper (to_bool("ON_HEROKU")), not a value ("TRUE", "1", "a,b").
_ENV_NAME = re.compile(r"^(?!(TRUE|FALSE|YES|NO|ON|OFF|T|F|Y|N)$)[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$")
_TEST_WORDS = frozenset({"test", "tests", "pytest", "py.test", "unittest", "nose", "nose2"})


def _is_sys(node: ast.AST, attr: str) -> bool:
    """``sys.argv`` (or ``sys.argv[1]``, ``sys.argv[1:2]``) / ``sys.modules``."""
    while isinstance(node, ast.Subscript):
        node = node.value
    return isinstance(node, ast.Attribute) and node.attr == attr and isinstance(node.value, ast.Name) and node.value.id == "sys"


def in_test_run(node: ast.Compare) -> bool | None:
    """What a test of "is this a test run?" comes to in production: ``"test" in
    sys.argv``, ``"pytest" in sys.modules``, ``sys.argv[1] == "test"``,
    ``sys.argv[1:2] == ["test"]`` are false there (``not in`` / ``!=`` true).
    None for any other comparison."""
    if len(node.ops) != 1:
        return None
    op, left, right = node.ops[0], node.left, node.comparators[0]
    if isinstance(op, (ast.In, ast.NotIn)) and (_string(left) or "").lower() in _TEST_WORDS \
            and (_is_sys(right, "argv") or _is_sys(right, "modules")):
        return isinstance(op, ast.NotIn)
    if isinstance(op, (ast.Eq, ast.NotEq)):
        for side, other in ((left, right), (right, left)):
            words = [_string(e) for e in other.elts] if isinstance(other, (ast.List, ast.Tuple)) else [_string(other)]
            if _is_sys(side, "argv") and isinstance(side, ast.Subscript) and words and all((w or "").lower() in _TEST_WORDS for w in words):
                return isinstance(op, ast.NotEq)
    return None


def _argv_word(node: ast.expr) -> bool:
    """``"jenkins" in sys.argv``: a word looked for among the command's arguments."""
    return isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], ast.In) \
        and _string(node.left) is not None and _is_sys(node.comparators[0], "argv")


def _string(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def env_read(node: ast.AST) -> tuple[str, ast.expr | None, str] | None:
    """(variable, default node or None, cast) for a read of the environment."""
    if isinstance(node, ast.Subscript):  # os.environ["X"]
        base = node.value
        name = _string(node.slice)
        if name and isinstance(base, ast.Attribute) and base.attr == "environ":
            return name, None, ""
        if name and isinstance(base, ast.Name) and base.id in ("environ", "env"):
            return name, None, ""
        return None
    if not isinstance(node, ast.Call) or not node.args:
        return None
    variable = _string(node.args[0])
    if not variable or not variable.replace("_", "").isalnum():
        return None
    obj, name = _func_name(node.func)
    if obj == "config" and name == "get" and len(node.args) >= 2 and _string(node.args[1]):
        return None  # configparser: config.get("site", "secret") reads a section's option (byro), not the environment
    default: ast.expr | None = None
    for kw in node.keywords:
        if kw.arg == "default":
            default = kw.value
    cast = ""
    for kw in node.keywords:
        if kw.arg in ("cast", "parser"):  # decouple/django-environ's cast=bool, everett's parser=bool
            cast = source(kw.value).lower()
    if obj in ("environ", "os") and name in ("get", "getenv", "setdefault"):
        default = node.args[1] if len(node.args) > 1 else default
        return variable, default, cast
    if name in _ENV_FUNCS or (obj in _ENV_OBJECTS and name in _CASTS | {"get", "str"}) \
            or ("env" in name.lower() and obj != "os"):
        if default is None and len(node.args) > 1 and (name not in ("env",) or (
                isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str))):
            # env("X", str) is django-environ's cast; env("X", "text") is environs' default (a cast is never a string)
            default = node.args[1]
        if obj in _ENV_OBJECTS and name in _CASTS:
            cast = name
        elif "bool" in name:
            cast = cast or "bool"
        elif name.endswith("list"):
            cast = cast or "list"
        return variable, default, cast
    return None


def env_reader(node: ast.AST, lookup: Lookup | None = None) -> str | None:
    """What an expression that is *not called* is, when it is a reader of the environment:
    :data:`READ_FUNCTION` for ``os.environ.get`` / ``os.getenv`` / ``environ.get`` (also
    ``getenv``), :data:`READ_MAPPING` for ``os.environ`` (also ``environ``); a name an
    earlier alias bound (``lookup``) gives what it was bound to. None for anything else.
    Module-level aliases (``get = environ.get`` then ``get("SECRET_KEY", "...")``) read
    the environment exactly as the call they stand for."""
    if isinstance(node, ast.Name):
        if lookup is not None:
            bound = lookup(node.id)
            if bound is not None and bound.kind == READER:
                return str(bound.value)
            if bound is not None:
                return None
        return {"getenv": READ_FUNCTION, "environ": READ_MAPPING}.get(node.id)
    if not isinstance(node, ast.Attribute):
        return None
    if node.attr == "environ" and isinstance(node.value, ast.Name) and node.value.id == "os":
        return READ_MAPPING
    if node.attr == "getenv" and isinstance(node.value, ast.Name) and node.value.id == "os":
        return READ_FUNCTION
    if node.attr == "get" and env_reader(node.value, lookup) == READ_MAPPING:
        return READ_FUNCTION
    return None


def aliased_read(node: ast.AST, lookup: Lookup) -> tuple[str, ast.expr | None, str] | None:
    """(variable, default node or None, cast) for a read through an alias :func:`env_reader`
    knows: ``get("X", "d")``, ``E["X"]``, ``E.get("X")`` (the forms :func:`env_read` misses)."""
    if isinstance(node, ast.Subscript):
        name = _string(node.slice)
        return (name, None, "") if name and env_reader(node.value, lookup) == READ_MAPPING else None
    if not isinstance(node, ast.Call) or not node.args or env_reader(node.func, lookup) != READ_FUNCTION:
        return None
    variable = _string(node.args[0])
    if not variable:
        return None
    default = node.args[1] if len(node.args) > 1 else next((kw.value for kw in node.keywords if kw.arg == "default"), None)
    return variable, default, ""


def to_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in TRUE_WORDS
    return bool(value)


def _cast(value: Any, cast: str) -> Any:
    if value is None or not cast:
        return value
    if "bool" in cast:
        return to_bool(value)
    if "int" in cast or "float" in cast:
        try:
            return int(value) if "int" in cast else float(value)
        except (TypeError, ValueError):
            return value
    if ("list" in cast or "tuple" in cast or "csv" in cast) and isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return value


class Evaluator:
    """Evaluates expressions of one module; ``lookup`` gives the names set so far."""

    def __init__(self, path: str, lookup: Lookup, attr: AttrLookup | None = None) -> None:
        self.path = path
        self.lookup = lookup
        self.attr = attr  # settings.X on an instance of a settings class

    def __call__(self, node: ast.expr) -> Val:
        try:
            val = self._eval(node)
        except RecursionError:
            val = Val(UNKNOWN)
        line = getattr(node, "lineno", 0)
        return val if val.path else val.at(self.path, line)

    def _lit(self, value: Any) -> Val:
        return Val(LITERAL, value)

    def _eval(self, node: ast.expr) -> Val:
        if isinstance(node, ast.Constant):
            return self._lit(node.value)
        found = env_read(node)
        if found is None and isinstance(node, (ast.Call, ast.Subscript)):
            found = aliased_read(node, self.lookup)
        if found is not None:
            return self._env(node, *found)
        if isinstance(node, (ast.Name, ast.Attribute)):
            reader = env_reader(node, self.lookup)
            if reader is not None and (isinstance(node, ast.Attribute) or self.lookup(node.id) is not None):
                return Val(READER, reader)
        if isinstance(node, ast.Name):
            got = self.lookup(node.id)
            return got if got is not None else Val(UNKNOWN)
        handler = self._HANDLERS.get(type(node))
        return handler(self, node) if handler is not None else Val(UNKNOWN)

    def _env(self, node: ast.expr, variable: str, default: ast.expr | None, cast: Any) -> Val:
        if default is None:
            scheme = self._scheme(node, variable)
            if scheme is not None:  # environ.Env(ALLOWED_HOSTS=(list, ["*"])) then env("ALLOWED_HOSTS")
                return Val(ENV, scheme, variable, True)
            return Val(ENV, None, variable, False)
        inner = self._eval(default)
        if inner.visible:  # a literal, or another read's default (default=not DEBUG): what runs with both unset
            return Val(ENV, _cast(inner.value, cast), variable, True)
        return Val(ENV, None, variable, False)

    def _attribute(self, node: ast.Attribute) -> Val:
        if self.attr is None:
            return Val(UNKNOWN)
        base = self._eval(node.value)
        if base.kind == INSTANCE:
            got = self.attr(base, node.attr)
            return got if got is not None else Val(UNKNOWN)
        return Val(UNKNOWN)

    def _sequence(self, node: ast.List | ast.Tuple | ast.Set) -> Val:
        items: list[Any] = []
        for elt in node.elts:
            if isinstance(elt, ast.Starred):
                inner = self._eval(elt.value)
                if inner.visible and isinstance(inner.value, (list, tuple)):
                    items.extend(inner.value)
                else:
                    items.append(OPAQUE)
                continue
            inner = self._eval(elt)
            items.append(inner.value if inner.visible else OPAQUE)
        value: Any = tuple(items) if isinstance(node, ast.Tuple) else items
        return Val(LITERAL, value)

    def _dict(self, node: ast.Dict) -> Val:
        out: dict[Any, Any] = {}
        for key, value_node in zip(node.keys, node.values):
            if key is None:  # {**BASE, ...}
                inner = self._eval(value_node)
                if inner.visible and isinstance(inner.value, dict):
                    out.update(inner.value)
                continue
            k = self._eval(key)
            v = self._eval(value_node)
            if k.kind == LITERAL:
                try:
                    out[k.value] = v.value if v.visible else OPAQUE
                except TypeError:
                    pass
        return Val(LITERAL, out)

    def _unary(self, node: ast.UnaryOp) -> Val:
        inner = self._eval(node.operand)
        if not inner.visible and isinstance(node.op, ast.Not) and isinstance(node.operand, ast.Name) and node.operand.id == "DEBUG":
            # SECURE_SSL_REDIRECT = not DEBUG, with DEBUG read from the environment: production runs with DEBUG off
            return Val(LITERAL, True, condition="with DEBUG off")
        if not inner.visible:
            return Val(UNKNOWN) if inner.kind != ENV else inner
        try:
            if isinstance(node.op, ast.Not):
                value = not to_bool(inner.value)
            elif isinstance(node.op, ast.USub):
                value = -inner.value
            else:
                return Val(UNKNOWN)
        except TypeError:
            return Val(UNKNOWN)
        return replace(inner, value=value)

    def _ifexp(self, node: ast.IfExp) -> Val:
        test = self.test(node.test)
        if not test.visible:
            return Val(UNKNOWN)
        chosen = self._eval(node.body if to_bool(test.value) else node.orelse)
        if test.kind == ENV and chosen.kind == LITERAL:
            return Val(ENV, chosen.value, test.env, True)
        return chosen

    def _subscript(self, node: ast.Subscript) -> Val:
        base = self._eval(node.value)
        if isinstance(node.slice, ast.Slice):
            return self._slice(base, node.slice)
        index = self._eval(node.slice)
        if base.visible and index.kind == LITERAL and isinstance(base.value, (dict, list, tuple)):
            try:
                value = base.value[index.value]
            except (KeyError, IndexError, TypeError):
                return Val(UNKNOWN)
            return replace(base, value=value) if value is not OPAQUE else Val(UNKNOWN)
        return Val(UNKNOWN)

    def _slice(self, base: Val, piece: ast.Slice) -> Val:
        if not (base.visible and isinstance(base.value, (list, tuple))) or piece.step is not None:
            return Val(UNKNOWN)
        bounds = [self._eval(b) if b is not None else Val(LITERAL, None) for b in (piece.lower, piece.upper)]
        if all(b.kind == LITERAL and (b.value is None or isinstance(b.value, int)) for b in bounds):
            return replace(base, value=list(base.value)[bounds[0].value:bounds[1].value])
        return Val(UNKNOWN)

    def _scheme(self, node: ast.AST, variable: str) -> Any:
        """The default a django-environ ``Env(NAME=(cast, default))`` scheme gives ``variable``."""
        if not isinstance(node, ast.Call):
            return None
        func = node.func.value if isinstance(node.func, ast.Attribute) else node.func
        if not isinstance(func, ast.Name):
            return None
        env = self.lookup(func.id)
        if env is None or env.kind != LITERAL or not isinstance(env.value, EnvScheme):
            return None
        return env.value.defaults.get(variable)

    def test(self, node: ast.expr) -> Val:
        """A condition: an environment variable read with no default counts as
        unset (judged by what runs when it is missing)."""
        if isinstance(node, ast.NamedExpr):  # if v := os.getenv("X"):
            node = node.value
        if isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], (ast.In, ast.NotIn)):
            # "X" in os.environ: false when the variable is unset
            name, where = _string(node.left), node.comparators[0]
            if name and (isinstance(where, ast.Attribute) and where.attr == "environ" or isinstance(where, ast.Name) and where.id == "environ"):
                return Val(ENV, isinstance(node.ops[0], ast.NotIn), name, True, self.path, getattr(node, "lineno", 0))
        val = self(node)
        bare = node.operand if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not) else node
        if val.kind == ENV and not val.has_default and isinstance(bare, ast.Name):
            # DEVELOPMENT_MODE = os.environ.get("DEVELOPMENT_MODE") ... if DEVELOPMENT_MODE: -- unset, falsy
            return Val(ENV, bare is not node, val.env, True, val.path, val.line)
        if val.kind == ENV and not val.has_default:
            found = env_read(node)
            if found is not None or (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not) and env_read(node.operand)):
                negated = isinstance(node, ast.UnaryOp)
                return Val(ENV, negated, val.env, True, val.path, val.line)
        return val

    def _call(self, node: ast.Call) -> Val:
        obj, name = _func_name(node.func)
        lowered = f"{obj}.{name}".lower()
        if name in ("read", "read_text", "strip", "rstrip") and isinstance(node.func, ast.Attribute):
            inner_call = node.func.value
            if isinstance(inner_call, ast.Call):
                _, inner_name = _func_name(inner_call.func)
                if inner_name in ("open", "Path", "read_text", "read") or "secret" in source(inner_call).lower():
                    return Val(SECRET)
        if any(word in lowered for word in _SECRET_WORDS):
            return Val(SECRET)
        for sub in ast.walk(node):  # "".join(random.SystemRandom().choice(...) ...): an ephemeral random key
            if isinstance(sub, ast.Call) and sub is not node and any(w in "_".join(_func_name(sub.func)).lower() for w in ("random", "urandom", "token_")):
                return Val(SECRET)
        if name in ("bool", "int", "float", "str", "strtobool", "literal_eval", "loads", "list", "tuple") and node.args:
            inner = self._eval(node.args[0])
            if not inner.visible:
                return inner if inner.kind in (ENV, SECRET) else Val(UNKNOWN)
            cast = {"strtobool": "bool", "literal_eval": "", "loads": ""}.get(name, name)
            return replace(inner, value=_cast(inner.value, cast) if cast != "str" else str(inner.value))
        if isinstance(node.func, ast.Attribute) and name in ("lower", "upper", "strip", "split", "casefold"):
            inner = self._eval(node.func.value)
            if not inner.visible or not isinstance(inner.value, str):
                return inner if inner.kind in (ENV, SECRET) else Val(UNKNOWN)
            text = inner.value
            if name == "split":
                sep = _string(node.args[0]) if node.args else None
                return replace(inner, value=text.split(sep) if sep else text.split())
            return replace(inner, value=getattr(text, name)())
        if node.args and ("list" in name.lower() or "bool" in name.lower()) and len(node.args) <= 2 and _ENV_NAME.match(_string(node.args[0]) or ""):
            # to_bool("ON_HEROKU", "false"): a project helper that reads the variable it is given
            default = self._eval(node.args[1]) if len(node.args) > 1 else None
            if default is not None and default.kind == LITERAL:
                return Val(ENV, _cast(default.value, "list" if "list" in name.lower() else "bool"), _string(node.args[0]), True)
            return Val(ENV, None, _string(node.args[0]), False)
        if node.args and ("list" in name.lower() or "bool" in name.lower()) and len(node.args) == 1:
            # get_list(os.environ.get("ALLOWED_HOSTS", "a,b")), str_to_bool(...): project helpers
            inner = self._eval(node.args[0])
            if inner.visible and isinstance(inner.value, str):
                cast = "list" if "list" in name.lower() else "bool"
                return replace(inner, value=_cast(inner.value, cast))
            if inner.kind == ENV:
                return inner
        if name == "Env" and not node.args:  # environ.Env(DEBUG=(bool, False), ...)
            defaults: dict[str, Any] = {}
            for kw in node.keywords:
                if kw.arg and isinstance(kw.value, ast.Tuple) and len(kw.value.elts) == 2:
                    default_val = self._eval(kw.value.elts[1])
                    if default_val.kind == LITERAL:
                        defaults[kw.arg] = _cast(default_val.value, source(kw.value.elts[0]).lower())
            return Val(LITERAL, EnvScheme(defaults))
        if name == "dict" and not node.args:
            out = {kw.arg: (v.value if v.visible else OPAQUE) for kw in node.keywords if kw.arg
                   for v in [self._eval(kw.value)]}
            return Val(LITERAL, out)
        return Val(UNKNOWN)

    def _binop(self, node: ast.BinOp) -> Val:
        left, right = self._eval(node.left), self._eval(node.right)
        if not (left.visible and right.visible):
            if isinstance(node.op, ast.Add) and (left.visible or right.visible):
                known = left if left.visible else right
                if isinstance(known.value, (list, tuple)):  # BASE + [...] with an unknown part
                    items = list(known.value) + [OPAQUE]
                    return Val(LITERAL, items)
            for side in (left, right):
                if side.kind == ENV:
                    return Val(ENV, None, side.env, False)
            return Val(UNKNOWN)
        ops: dict[type, Callable[[Any, Any], Any]] = {
            ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
            ast.FloorDiv: lambda a, b: a // b, ast.Div: lambda a, b: a / b, ast.Pow: lambda a, b: a ** b,
            ast.BitOr: lambda a, b: a | b, ast.Mod: lambda a, b: a % b,
        }
        op = ops.get(type(node.op))
        if op is None:
            return Val(UNKNOWN)
        try:
            a, b = left.value, right.value
            if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
                value: Any = list(a) + list(b)
            elif isinstance(a, (int, float)) and isinstance(b, (int, float)) and isinstance(node.op, ast.Pow) and b > 64:
                return Val(UNKNOWN)
            else:
                value = op(a, b)
        except Exception:  # a type mismatch in user code is not our error to raise
            return Val(UNKNOWN)
        if isinstance(value, str) and len(value) > 10_000:
            return Val(UNKNOWN)
        env_side = left if left.kind == ENV else right if right.kind == ENV else None
        if env_side is not None:
            return Val(ENV, value, env_side.env, True)
        return Val(LITERAL, value)

    def _boolop(self, node: ast.BoolOp) -> Val:
        if isinstance(node.op, ast.Or) and all(_argv_word(v) for v in node.values) and any(
                isinstance(v, ast.Compare) and in_test_run(v) is not None for v in node.values):
            # TESTING = "test" in sys.argv or "jenkins" in sys.argv: management commands, never the served process
            return Val(LITERAL, False)
        values = [self._eval(v) for v in node.values]
        if isinstance(node.op, ast.Or):
            # os.environ.get("X") or "default": the fallback is the default
            first = values[0]
            if first.kind == ENV and len(values) > 1 and values[-1].kind == LITERAL:
                if not first.has_default or not to_bool(first.value):
                    return Val(ENV, values[-1].value, first.env, True)
                return first
            for v in values:
                if not v.visible:
                    return Val(UNKNOWN) if v.kind != ENV else Val(ENV, None, v.env, False)
                if to_bool(v.value):
                    return v
            return values[-1]
        for v in values:
            if not v.visible:
                return Val(UNKNOWN) if v.kind != ENV else Val(ENV, None, v.env, False)
            if not to_bool(v.value):
                return v
        return values[-1]

    def _compare(self, node: ast.Compare) -> Val:
        if len(node.ops) != 1:
            return Val(UNKNOWN)
        run = in_test_run(node)
        if run is not None:  # "test" in sys.argv: production is never a test run
            return Val(LITERAL, run)
        left, right = self._eval(node.left), self._eval(node.comparators[0])
        env = left if left.kind == ENV else right if right.kind == ENV else None
        if not (left.visible and right.visible):
            return Val(ENV, None, env.env, False) if env else Val(UNKNOWN)
        op = node.ops[0]
        try:
            if isinstance(op, ast.Eq):
                result = left.value == right.value
            elif isinstance(op, ast.NotEq):
                result = left.value != right.value
            elif isinstance(op, ast.In):
                result = left.value in right.value
            elif isinstance(op, ast.NotIn):
                result = left.value not in right.value
            else:
                return Val(UNKNOWN)
        except TypeError:
            return Val(UNKNOWN)
        if env is not None:
            return Val(ENV, result, env.env, True)
        return Val(LITERAL, result)

    def _filtered(self, node: ast.ListComp | ast.GeneratorExp) -> Val:
        """``[m for m in MIDDLEWARE if m not in (csp,)]`` (a prod layer dropping an item from a base
        list): the base list with the items left out; any other comprehension cannot be read."""
        if len(node.generators) != 1:
            return Val(UNKNOWN)
        gen = node.generators[0]
        if gen.is_async or not isinstance(gen.target, ast.Name) or not isinstance(node.elt, ast.Name) \
                or node.elt.id != gen.target.id:
            return Val(UNKNOWN)
        base = self._eval(gen.iter)
        if base.kind != LITERAL or not isinstance(base.value, (list, tuple)):
            return Val(UNKNOWN)
        name = gen.target.id
        tests: list[tuple[bool, Any]] = []  # (keep when in, the container)
        for cond in gen.ifs:
            if not (isinstance(cond, ast.Compare) and len(cond.ops) == 1 and isinstance(cond.ops[0], (ast.In, ast.NotIn))
                    and isinstance(cond.left, ast.Name) and cond.left.id == name):
                return Val(UNKNOWN)
            container = self._eval(cond.comparators[0])
            if not container.visible or not isinstance(container.value, (list, tuple, set, frozenset)) \
                    or any(x is OPAQUE for x in container.value):
                return Val(UNKNOWN)
            tests.append((isinstance(cond.ops[0], ast.In), container.value))
        kept = [item for item in base.value
                if item is OPAQUE or all((item in values) == keep_in for keep_in, values in tests)]
        return Val(LITERAL, kept)

    # One method per kind of expression, so _eval stays a dispatch (C901).
    _HANDLERS: dict[type, Callable[[Evaluator, Any], Val]] = {
        ast.Attribute: _attribute,
        ast.List: _sequence,
        ast.Tuple: _sequence,
        ast.Set: _sequence,
        ast.Dict: _dict,
        ast.Call: _call,
        ast.UnaryOp: _unary,
        ast.BinOp: _binop,
        ast.BoolOp: _boolop,
        ast.Compare: _compare,
        ast.IfExp: _ifexp,
        ast.Subscript: _subscript,
        ast.ListComp: _filtered,
        ast.GeneratorExp: _filtered,
    }
