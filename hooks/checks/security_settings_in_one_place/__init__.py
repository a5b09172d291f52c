"""Report security settings set outside the config modules, where reviewers
of the settings will not see them.

Reads every Python file that is not a config module (settings modules such as
``settings.py``, ``settings/*.py``, ``config.py``, plus ``--security-modules``)
and is not a test, fixture or migration (``--exclude``). Reported, at their line:
assignments to security setting names (the checklist catalogue plus Flask's
config keys: ``settings.SESSION_COOKIE_SECURE = False``,
``app.config["SECRET_KEY"] = ...``, ``app.config.update(...)``),
``@override_settings`` / ``settings.configure(...)`` in non-test code,
protections switched off in code (``Talisman(force_https=False)``, ``CORS(origins="*")``,
``add_middleware(CORSMiddleware)`` outside the module that creates the app),
``@csrf_exempt`` / ``@xframe_options_exempt`` / ``@csp_exempt``, security
headers set on a response, ``set_cookie(secure=False)``,
``SignedCookieSessionFactory(secure=False)``, ``os.umask`` and
``os.chmod(..., 0o777)``. A reviewed exception stays with the suppression
marker and a reason on the line.

By default only the rules that found real problems on held-out repositories
report: CSRF exemptions and world-writable file modes. ``--strict`` adds the
rest (settings, headers and cookies set in code, ``@xframe_options_exempt`` /
``@csp_exempt``, ``override_settings``, Talisman, CORS, session factories); a
notice says how many items it would add.
"""
from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from hooks.checks.security_settings_in_one_place.finder import Finder
from hooks.common.security_catalogue import EXEMPT_DECORATORS, SETTING_NAMES
from hooks.config import formats, python_trees
from hooks.core.api import Hook, Option, Problem
from hooks.repo.roles import belongs_to_service

if TYPE_CHECKING:
    from typing import Any

    from hooks.checks.security_settings_in_one_place.heirs import ClassIndex
    from hooks.core.runner import Context

HOOK_ID = "security-settings-in-one-place"
DEFAULT_EXCLUDE = ("tests/*", "*/tests/*", "test/*", "*/test/*", "testing/*", "*/testing/*", "test_*.py", "*/test_*.py",
                   "*_test.py", "*_tests.py", "tests.py", "*/tests.py", "conftest.py", "*/conftest.py",
                   "fixtures/*", "*/fixtures/*", "migrations/*", "*/migrations/*", "*/alembic/versions/*")
# Files that hold none of these words are skipped before parsing (most of a
# big repo). One pass of identifiers against a set: a regex alternation of a
# hundred names costs seconds on a few thousand files.
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")
_TRIGGERS = frozenset(SETTING_NAMES) | EXEMPT_DECORATORS | {
    "exempt", "override_settings", "modify_settings", "configure", "Talisman", "CORS", "add_middleware", "set_cookie",
    "SignedCookieSessionFactory", "BaseCookieSessionFactory", "SessionMiddleware", "AuthTktAuthenticationPolicy",
    "umask", "chmod", "config",
    # words of the security header names (X-Frame-Options, Strict-Transport-Security, ...)
    "Frame", "Transport", "Allow", "Security", "Referrer", "Opener", "Embedder", "Resource", "Permissions", "Protection",
    "Content", "frame", "transport", "allow", "security", "referrer", "opener", "permissions", "protection", "content"}
# What the default rules read, as written in a module the hooks cannot parse (Python 2, a newer Python):
# named in its notice when present. A call, not a word ("chmod 750" in a shell string is no file mode), and not
# in a comment (a call commented out).
_DEFAULT_RULE_CODE = (("csrf_exempt", re.compile(r"^[^#\n]*\bcsrf(?:_exempt\b|\.exempt\b)", re.M)),
                      ("os.umask", re.compile(r"^[^#\n]*\bumask\s*\(", re.M)), ("chmod", re.compile(r"^[^#\n]*\bchmod\s*\(", re.M)))
# opencve's opencve/conf/base.py, settings.py: a settings package named conf (DJANGO_SETTINGS_MODULE=opencve.conf.settings)
_CONF_PACKAGE = re.compile(r"(^|/)conf/[^/]+\.py$")
# A module that serves requests (routes, views, a blueprint): code, not the settings module.
# (Not a function taking a request: Django settings define show_toolbar(request) for the debug toolbar.)
_SERVES_REQUESTS = re.compile(r"^@\w+(\.\w+)*\.(route|get|post|put|patch|delete)\(|\bBlueprint\(|^@api_view\b|^urlpatterns\s*=", re.M)
_SETTING_LINE = re.compile(r"^[A-Z][A-Z0-9_]+\s*[:=]", re.M)
# Someone else's code the repo carries (held-out round 9: airmozilla's mysql2postgres/py-mysql2pgsql-0.1.5/,
# an unpacked release of a migration tool, holds a lib/config.py): never the service's settings module.
_VENDORED_TREE = re.compile(r"(^|/)(vendor|vendored|_vendor|third_party|3rdparty|site-packages|node_modules|libs/[^/]+"
                            r"|[A-Za-z][\w.-]*-v?\d+(\.\d+)+[\w.]*)/")
# A settings package's sub-packages (substra's settings/mods/cors.py, apprise's settings/debug/__init__.py):
# settings too, though the settings-module pattern reads one level only.
_SETTINGS_TREE = re.compile(r"(^|/)settings/[^/]+/([^/]+/)*[^/]+\.py$")
# A settings package whose __init__ star-imports its base module: the base is where the settings are.
_SETTINGS_BASE = re.compile(r"(^|/)settings/(base|common|defaults?)\.py$")
# An app factory that loads its config object (issue 21: the framework's intended place).
_LOADS_CONFIG = re.compile(r"\.config\.(from_object|from_pyfile|from_envvar|from_prefixed_env)\(|Configurator\(\s*settings=")
# connexion.FlaskApp / AsyncApp wrap a Flask or Starlette app (spiff-arena).
_CREATES_APP = re.compile(r"\b(Flask|Quart|FastAPI|Starlette|Configurator|FlaskApp|AsyncApp)\(")


# A config template (held-out round 11: researchhub's misc/keys.sample.py, which the README copies to
# config_local/keys.py for settings.py to import): a dotted name no import can reach, copied into the config.
_CONFIG_TEMPLATE = re.compile(r"(^|/)[^/]+\.(sample|example|dist|template|tmpl|default)\.py$")


def _glob(path: str, patterns: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(path, p) for p in patterns)


def wants(path: str, ctx: Context) -> bool:
    if not path.endswith(".py"):
        return False
    if formats.is_settings_module(path) or _CONF_PACKAGE.search(path) or _SETTINGS_TREE.search(path) or _CONFIG_TEMPLATE.search(path) \
            or _glob(path, ctx.options.security_modules or ()):
        return False
    if isinstance(ctx.state, State) and path in ctx.state.config_files:
        return False  # a file the app loads its config from (from_object, from_pyfile, the file FLASK_CONF names)
    if ctx.options.exclude:
        return not _glob(path, ctx.options.exclude)
    # the default: tests and migrations, and what the shared list says is not the service (a regression/ runner, docs, CI)
    return not _glob(path, DEFAULT_EXCLUDE) and belongs_to_service(path)


def _serves(path: str, ctx: Context) -> bool:
    """A module whose views count as the service's: not a test, fixture or migration (``--exclude``), not
    someone else's code. A config-named module counts here (OnlineJudge's ``conf/views.py`` holds views)."""
    if ctx.options.exclude:
        return not _glob(path, ctx.options.exclude)
    return not _glob(path, DEFAULT_EXCLUDE) and belongs_to_service(path)


def check(path: str, ctx: Context) -> Iterator[Problem]:
    from hooks.config import source

    try:
        text = source.read_text(path, ctx.shared.max_file_size)
    except (source.ReadError, source.TooLarge):
        return
    if _TRIGGERS.isdisjoint(_IDENTIFIER.findall(text)):
        return
    try:
        tree = python_trees.parse(text, path)
    except python_trees.OtherPython:
        # held-out round 14: 7 of 10 exemptions sat in Python 2 modules; the notice names what the skip hides
        python_trees.not_judged(path, [what for what, pattern in _DEFAULT_RULE_CODE if pattern.search(text)])
        return
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return  # not this hook's job to report broken Python
    creates_app = bool(re.search(r"\b(FastAPI|Starlette|FlaskApp|AsyncApp)\(", text))  # connexion wraps Flask or Starlette
    loads_config = bool(_LOADS_CONFIG.search(text)) and bool(_CREATES_APP.search(text))
    from hooks.checks.security_settings_in_one_place.views import Decorators

    decorators = Decorators(path, tree, ctx.shared.max_file_size)
    home = ctx.state.home if isinstance(ctx.state, State) else ""
    finder = Finder(path, creates_app, home, text.splitlines(), loads_config, decorators)
    finder.csrf_off = isinstance(ctx.state, State) and ctx.state.csrf_off
    finder.token_packages = ctx.state.token_packages if isinstance(ctx.state, State) else frozenset()
    finder.response_hooks = ctx.state.response_hooks if isinstance(ctx.state, State) else frozenset()
    # the views that inherit an exempt base, found in the modules this hook reads (not tests)
    finder.index = ctx.state.index if isinstance(ctx.state, State) else _new_index(ctx.shared.max_file_size)
    finder.in_scope = lambda p: _serves(p, ctx)
    try:
        finder.visit(tree)
    except RecursionError:
        return
    strict = bool(ctx.options.strict)
    held = 0
    for line, column, message, identity in finder.found:
        if not strict and not default_rule(identity):
            held += 1
            continue
        yield Problem(line, column, message, identity=identity)
    if held and isinstance(ctx.state, State):
        from hooks.core.cache import not_kept

        not_kept()  # the notice counts over the run: this file is checked again next time
        _count_strict_only(ctx, ctx.state, held)


# The rules that found a real problem on a held-out repository (rounds 6 to 11, see the hook page's
# "Default and --strict"): a CSRF exemption on a view the browser session reaches and that writes
# (djangogirls, tendenci, askbot, airmozilla), and a file mode that makes files world-writable
# (tendenci's os.umask(0)). Every other rule (settings assigned in code, security headers, cookies,
# @xframe_options_exempt / @csp_exempt, override_settings, Talisman, CORS, session factories) produced
# only wrong or debatable findings there, and reports with --strict only.
_DEFAULT_KINDS = frozenset({"umask", "chmod"})


def default_rule(identity: Sequence[str]) -> bool:
    """Whether a finding of this identity (kind, names...) is reported without ``--strict``."""
    kind = identity[0] if identity else ""
    if kind in _DEFAULT_KINDS:
        return True
    if kind == "exempt" and len(identity) > 1:
        name = identity[1].lower()
        return "csrf" in name or name.endswith("exempt") and "xframe" not in name and "csp" not in name
    return False


class _Held:
    """How many items of this call were left to ``--strict`` (one notice line for the whole call)."""

    def __init__(self) -> None:
        self.count = 0
        self.line = ""


def _count_strict_only(ctx: Context, state: State, held: int) -> None:
    state.held.count += held
    if state.held.line in ctx.notices:
        ctx.notices.remove(state.held.line)
    n = state.held.count
    state.held.line = (f"{HOOK_ID}: {n} more item{'s' if n != 1 else ''} with --strict (settings, headers and cookies set "
                       "in code, and the rules that have not found a real problem on held-out repositories; see the hook page)")
    ctx.notice(state.held.line, always=True)


@dataclass(frozen=True)
class State:
    home: str = ""  # the settings module messages name
    config_files: frozenset[str] = frozenset()  # files the app loads its config from (configs.py)
    csrf_off: bool = False  # Django's MIDDLEWARE is read and CsrfViewMiddleware is not in it: @csrf_exempt switches nothing off
    # functions registered as app-wide request/response hooks by a call (Pyramid's
    # config.add_subscriber(f, NewRequest), Flask's app.after_request(f)): the framework's one place for headers
    response_hooks: frozenset[str] = frozenset()
    held: _Held = field(default_factory=lambda: _Held(), compare=False, hash=False)
    # packages whose token/JWT authentication middleware the settings install (apigw_manager's
    # ApiGatewayJWTGenericMiddleware): a view decorator of theirs marks the view for that check
    token_packages: frozenset[str] = frozenset()
    # classes of the repository by their bases' names, read on demand (heirs.py): kept for the run
    index: ClassIndex = field(default_factory=lambda: _new_index(), compare=False, hash=False)


def _new_index(max_bytes: int = 10 * 1024 * 1024) -> ClassIndex:
    from hooks.checks.security_settings_in_one_place.heirs import ClassIndex

    return ClassIndex(max_bytes)


def prepare(ctx: Context) -> State:
    """The files the app loads its config from, and the settings module
    messages name: the production one if the repo has it."""
    from hooks.checks.security_settings_in_one_place.configs import loaded_config_files
    from hooks.repo import git

    try:
        tracked = git.tracked_files()
    except Exception:  # not a git work tree: messages say "the settings module"
        return State()
    try:
        loaded = loaded_config_files(tracked)
    except Exception:  # git grep failing: the named patterns still apply
        loaded = None
    files = loaded.files if loaded is not None else frozenset()
    try:
        middleware = _middleware_assignments(ctx, tracked)
    except Exception:  # MIDDLEWARE cannot be read: exemptions are judged as before
        middleware = None
    try:
        csrf_off = middleware is not None and _csrf_middleware_absent(middleware)
    except Exception:  # MIDDLEWARE cannot be read: exemptions are judged as before
        csrf_off = False
    try:
        hooks = _response_hooks(ctx, tracked)
    except Exception:  # git grep failing: only the decorated and named hooks count
        hooks = frozenset()
    try:
        token_packages = _token_middleware_packages(middleware or [])
    except Exception:  # MIDDLEWARE cannot be read: no decorator is taken for a middleware's token check
        token_packages = frozenset()
    loaded_home = loaded.home if loaded is not None and not _VENDORED_TREE.search(loaded.home) else ""
    return State(_home(ctx, tracked) or loaded_home, files, csrf_off, hooks, index=_new_index(ctx.shared.max_file_size),
                 token_packages=token_packages)


# A middleware that authenticates by a token, a signed JWT or a signature, not the session cookie.
_TOKEN_MIDDLEWARE = re.compile(r"(?i)(jwt|token|signature|hmac|apikey|api_key)\w*middleware\w*$")


def _token_middleware_packages(assignments: list[Any]) -> frozenset[str]:
    """Held-out round 15 (bk-sops's ``MIDDLEWARE += ("apigw_manager.apigw.authentication.ApiGatewayJWTGenericMiddleware", ...)``):
    the top-level packages of the token/JWT authentication middlewares the settings modules name in
    ``MIDDLEWARE``. Such a package's view decorator (``@apigw_require``) asks that middleware to turn away a
    request without the gateway's signed token: the view is not reached with a browser session."""
    import ast

    packages: set[str] = set()
    for node in assignments:
        if node.value is None:
            continue
        for e in ast.walk(node.value):
            if isinstance(e, ast.Constant) and isinstance(e.value, str) and "." in e.value \
                    and _TOKEN_MIDDLEWARE.search(e.value.rsplit(".", 1)[-1]):
                packages.add(e.value.split(".")[0])
    return frozenset(packages)


_HOOK_REGISTRARS = ("after_request", "after_app_request", "before_request", "before_app_request")


def _response_hooks(ctx: Context, tracked: set[str]) -> frozenset[str]:
    """Held-out round 10 (appenlight's ``config.add_subscriber("appenlight.subscribers.new_request",
    "pyramid.events.NewRequest")`` in ``main()``): the names of the functions a call registers
    to run on every request or response, in any tracked module. Pyramid's subscriber is its
    one place for app-wide headers, as a tween or Flask's ``after_request`` is."""
    import ast

    from hooks.checks.security_settings_in_one_place.finder import APP_WIDE_EVENT
    from hooks.config.source import read_head
    from hooks.repo.git import Grep

    holders = Grep().files("add_subscriber", *_HOOK_REGISTRARS, pathspecs=("*.py",))
    if holders is None:  # no prefilter: read them all, keeping the ones that name a registrar
        holders = frozenset(p for p in tracked if p.endswith(".py"))
    names: set[str] = set()
    for p in sorted(holders):
        if p not in tracked or _glob(p, ctx.options.exclude or DEFAULT_EXCLUDE):
            continue
        text = read_head(p, 400_000).decode("utf-8", "replace")
        if "add_subscriber" not in text and not any(r in text for r in _HOOK_REGISTRARS):
            continue
        try:
            tree = python_trees.parse(text, p, report=False)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id if isinstance(node.func, ast.Name) else ""
            if func == "add_subscriber":
                event = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg in ("iface", "event")), None)
                if event is None or not APP_WIDE_EVENT.search(ast.unparse(event)):
                    continue
            elif func not in _HOOK_REGISTRARS or not isinstance(node.func, ast.Attribute):
                continue
            hook = node.args[0]
            name = hook.value.rsplit(".", 1)[-1] if isinstance(hook, ast.Constant) and isinstance(hook.value, str) \
                else hook.attr if isinstance(hook, ast.Attribute) else hook.id if isinstance(hook, ast.Name) else ""
            if name:
                names.add(name)
    return frozenset(names)


_MIDDLEWARE_SETTINGS = ("MIDDLEWARE", "MIDDLEWARE_CLASSES")


def _middleware_assignments(ctx: Context, tracked: set[str]) -> list[Any]:
    """The statements that set ``MIDDLEWARE``/``MIDDLEWARE_CLASSES`` (``=``, ``: T =``, ``+=``) in the
    settings modules (at most 40), in order: read once for the CSRF and the token-middleware questions."""
    import ast

    from hooks.config import python_trees  # shared trees: the report parses each module once for all checks
    from hooks.config.source import read_head

    modules = [p for p in sorted(tracked) if p.endswith(".py") and formats.is_settings_module(p)
               and not _glob(p, ctx.options.exclude or DEFAULT_EXCLUDE)][:40]
    found: list[Any] = []
    for p in modules:
        try:
            tree = python_trees.parse(read_head(p, 400_000).decode("utf-8", "replace"), p, report=False)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        for node in ast.walk(tree):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else []
            if any(isinstance(t, ast.Name) and t.id in _MIDDLEWARE_SETTINGS for t in targets):
                found.append(node)
    return found


def _csrf_middleware_absent(assignments: list[Any]) -> bool:
    """Held-out round 8 (tecken's settings.py comments the line out): a settings
    module sets ``MIDDLEWARE`` as a written-out list, and no tracked Python file
    names ``CsrfViewMiddleware`` in code (a comment does not count). Then Django
    checks no CSRF token and ``@csrf_exempt`` switches nothing off. Anything
    unclear (no literal MIDDLEWARE, a name added elsewhere) keeps today's rule."""
    import ast

    from hooks.config import python_trees  # shared trees: the report parses each module once for all checks
    from hooks.config.source import read_head
    from hooks.repo.git import Grep

    literal = False
    for node in assignments:
        value = node.value
        if not isinstance(value, (ast.List, ast.Tuple)) or not all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in value.elts):
            return False  # built from something else: cannot tell what is installed
        if any("csrf" in str(e.value).lower() for e in value.elts if isinstance(e, ast.Constant)):
            # another CSRF middleware honours csrf_exempt too (django-session-csrf's
            # session_csrf.CsrfMiddleware: held-out round 9, airmozilla)
            return False
        literal = literal or isinstance(node, (ast.Assign, ast.AnnAssign))
    if not literal:
        return False
    holders = Grep().files("CsrfViewMiddleware", pathspecs=("*.py",))
    if holders is None:
        return False
    for p in sorted(holders):
        try:
            tree = python_trees.parse(read_head(p, 400_000).decode("utf-8", "replace"), p, report=False)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return False
        if any(isinstance(n, ast.Constant) and isinstance(n.value, str) and "CsrfViewMiddleware" in n.value or
               isinstance(n, (ast.Name, ast.Attribute)) and _name_of(n) == "CsrfViewMiddleware" for n in ast.walk(tree)):
            return False
    return True


def _name_of(node: object) -> str:
    import ast

    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""


def _home(ctx: Context, tracked: set[str]) -> str:
    from hooks.repo.environments import PRODUCTION, environment_of

    modules = sorted((p for p in tracked if p.endswith(".py") and (formats.is_settings_module(p) or _glob(p, ctx.options.security_modules or ()))
                      and not _glob(p, ctx.options.exclude or DEFAULT_EXCLUDE)), key=lambda p: (p.count("/"), p))
    modules = [p for p in modules if not _VENDORED_TREE.search(p)]
    production = [p for p in modules if environment_of(p, ctx.environments) == PRODUCTION]
    if production:
        return production[0]
    plain = [p for p in modules if (p.endswith(("settings.py", "config.py", "settings/__init__.py")) or _SETTINGS_BASE.search(p))
             and environment_of(p, ctx.environments) is None]
    # The one that sets the most UPPER_CASE names (not an API module named settings.py: OctoPrint's
    # server/api/settings.py is the settings REST API, its routes give it away).
    scored = []
    for p in plain[:20]:
        from hooks.config.source import read_head

        head = read_head(p, 200_000).decode("utf-8", "replace")
        if _SERVES_REQUESTS.search(head):
            continue
        scored.append((len(_SETTING_LINE.findall(head)), p))
    best = max(scored, key=lambda t: (t[0], -len(t[1])), default=(0, ""))
    return best[1] if best[0] else ""


def cache_key(path: str, ctx: Context) -> str | None:
    """A file's findings depend on it, the modules its decorators come from (named
    while checking: ``views.Decorators``) and what ``prepare`` found over the repo."""
    state = ctx.state
    if not isinstance(state, State):
        return None
    return repr((state.home, sorted(state.config_files), state.csrf_off, sorted(state.response_hooks), sorted(state.token_packages)))


HOOK = Hook(
    id=HOOK_ID,
    summary="Security settings are not set in unrelated code (views, app factories, commands), where reviewers will miss them.",
    check=check,
    reads="paths",
    wants=wants,
    prepare=prepare,
    cache_key=cache_key,
    options=(
        Option("security-modules", "also treat files matching GLOB as config modules (repeatable)", kind="list", metavar="GLOB"),
        Option("strict", "also report the rules that have found no real problem on held-out repositories: security settings, "
               "headers and cookies set in code, @xframe_options_exempt/@csp_exempt, override_settings, Talisman, CORS "
               "and session-factory arguments (the default reports CSRF exemptions and world-writable file modes)", kind="bool"),
        Option("exclude", "skip files matching GLOB (repeatable); the default skips tests, fixtures and migrations: "
               + ", ".join(DEFAULT_EXCLUDE), kind="list", metavar="GLOB"),
    ),
    description=__doc__ or "",
)


def main(argv: Sequence[str] | None = None) -> int:
    from hooks.core import runner

    return runner.main(HOOK, argv)


if __name__ == "__main__":
    raise SystemExit(main())
