"""Where a project writes its version, what pip would install, and what a tag
says.

A project is a folder holding ``pyproject.toml``, ``setup.cfg`` or
``setup.py`` (a monorepo has several). Its version sources, static literals
only: ``[project] version``, ``[tool.poetry] version``, ``setup.cfg``
``[metadata] version`` (``attr:`` and ``file:`` followed to the literal),
``setup(version="...")``, ``__version__`` in the package's
``__init__.py``/``__about__.py``/``_version.py``/``version.py``, a ``VERSION``
file, ``[tool.bumpversion] current_version`` (and ``.bumpversion.cfg``),
``[tool.commitizen] version`` and ``[tool.tbump.version] current``. A version
taken from git (setuptools-scm, hatch-vcs, versioningit, pdm's ``scm``,
poetry-dynamic-versioning) has nothing to compare.
"""
from __future__ import annotations

import posixpath
import re

from hooks.core.records import field, record

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time
if TYPE_CHECKING:
    from collections.abc import Iterator

    from hooks.checks.check_release_checklist.reach import Repo
    from hooks.config.document import Document

# rank: the order pip's build backends read them in; the lowest present is
# what `pip install` puts in the metadata.
BUILD = 0  # read by the build backend: [project] version, [tool.poetry] version, setup.cfg, setup.py, attr:
MODULE = 1  # __version__ in the package
FILE = 2  # a VERSION file nothing reads at build time
TOOL = 3  # a bump tool's record of the current version

_SCM_REQUIRES = re.compile(r"^(setuptools[-_]scm|setuptools-git-versioning|hatch-vcs|versioningit|"
                           r"poetry-dynamic-versioning|dunamai|uv-dynamic-versioning|pbr|miniver|vcversioner)\b", re.I)
_PLACEHOLDERS = frozenset({"0.0.0", "0.0.0.dev0", "0", "0.0", "0.0.1.dev0", "unknown", "0+unknown"})
_VERSION_NAMES = ("__init__.py", "__about__.py", "_version.py", "version.py", "__version__.py", "_about.py")


@record(frozen=True)
class Source:
    path: str
    line: int
    value: str
    label: str  # "[project] version", "__version__", ...
    rank: int


@record
class Project:
    root: str  # "" for the top of the repo
    name: str = ""
    sources: list[Source] = field(default_factory=list)
    from_git: str = ""  # how the version comes from git, when it does
    file: str = ""  # pyproject.toml / setup.cfg / setup.py
    not_installed: str = ""  # why the project itself is never built or installed (its [project] version is not compared)

    @property
    def installed(self) -> Source | None:
        """The source pip would install (None: from git, or none at all)."""
        if self.from_git:
            return None
        build = [s for s in self.sources if s.rank == BUILD]
        if build:
            return build[0]
        ranked = sorted(self.sources, key=lambda s: s.rank)
        return ranked[0] if ranked else None


def normalise(version: str) -> str:
    """A light PEP 440 normal form: ``v1.2`` == ``1.2.0``, ``1.0-RC1`` == ``1.0rc1``."""
    text = version.strip().lower()
    text = re.sub(r"^v(?=\d)", "", text)
    local = ""
    if "+" in text:
        text, local = text.split("+", 1)
    match = re.match(r"^(\d+(?:\.\d+)*)(?:[-_.]?(alpha|beta|preview|pre|rc|a|b|c)[-_.]?(\d*))?"
                     r"(?:[-_.]?(post|rev|r)[-_.]?(\d*))?(?:[-_.]?(dev)[-_.]?(\d*))?$", text)
    if not match:
        return text
    release = [int(p) for p in match.group(1).split(".")]
    while len(release) > 1 and release[-1] == 0:
        release.pop()
    rest = ""
    if match.group(2):
        letter = {"alpha": "a", "beta": "b", "c": "rc", "pre": "rc", "preview": "rc"}.get(match.group(2), match.group(2))
        rest += f"{letter}{int(match.group(3) or 0)}"
    if match.group(4):
        rest += f".post{int(match.group(5) or 0)}"
    if match.group(6):
        rest += f".dev{int(match.group(7) or 0)}"
    return ".".join(str(p) for p in release) + rest + (f"+{local}" if local else "")


def same(a: str, b: str) -> bool:
    return normalise(a) == normalise(b)


def is_placeholder(value: str) -> bool:
    """0.0.0 stand-ins, and words that are not versions (`"develop"`, a build marker)."""
    text = value.strip().lower()
    return text in _PLACEHOLDERS or not re.match(r"^v?\d+(\.\d+)*", text)


def package_name(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def projects(repo: Repo, skip: frozenset[str] = frozenset()) -> list[Project]:
    """Every project of the repo, top first; folders in ``skip`` (test data,
    docs, vendored code) are not projects."""
    roots: dict[str, list[str]] = {}
    for path in repo.files:
        name = posixpath.basename(path)
        if name in ("pyproject.toml", "setup.cfg", "setup.py") and path not in skip:
            folder = posixpath.dirname(path)
            roots.setdefault(folder, []).append(name)
    out = []
    for folder in sorted(roots, key=lambda f: (f.count("/") if f else -1, f)):
        project = _project(repo, folder, roots[folder])
        if project is not None:
            out.append(project)
    return out


def _join(folder: str, name: str) -> str:
    return posixpath.normpath(posixpath.join(folder, name)) if folder else name


def _project(repo: Repo, folder: str, names: list[str]) -> Project | None:
    project = Project(folder)
    attr_targets: list[tuple[str, str, int, str]] = []  # (module path, attribute, line, path of the reference)
    if "pyproject.toml" in names:
        path = _join(folder, "pyproject.toml")
        doc = repo.doc(path)
        if doc is not None:
            project.file = path
            _pyproject(doc, project, attr_targets, repo.exists(_join(folder, "uv.lock")))
    if "setup.cfg" in names:
        path = _join(folder, "setup.cfg")
        doc = repo.doc(path)
        if doc is not None:
            project.file = project.file or path
            _setup_cfg(repo, doc, folder, project, attr_targets)
    if "setup.py" in names:
        path = _join(folder, "setup.py")
        project.file = project.file or path
        _setup_py(repo, path, project)
    bump = _join(folder, ".bumpversion.cfg")
    doc = repo.doc(bump) if repo.exists(bump) else None
    if doc is not None:
        entry = doc.get(("bumpversion", "current_version"))
        if entry is not None and isinstance(entry.value, str):
            project.sources.append(Source(bump, entry.line, entry.value, "[bumpversion] current_version", TOOL))
    version_file = _join(folder, "VERSION")
    text = repo.text(version_file) if repo.exists(version_file) else None
    if text is not None and re.match(r"^\s*v?\d+(\.\d+)+\S*\s*$", text):
        project.sources.append(Source(version_file, 1, text.strip(), "VERSION", FILE))
    seen_modules: set[str] = set()
    for module, attribute, _line, _where in attr_targets:
        source = _module_version(repo, module, attribute)
        if source is not None:
            seen_modules.add(source.path)
            project.sources.append(Source(source.path, source.line, source.value, source.label, BUILD))
    if project.name and not project.from_git:
        package = package_name(project.name)
        for base in (package, f"src/{package}"):
            for file_name in _VERSION_NAMES:
                module = _join(folder, f"{base}/{file_name}")
                if module in seen_modules or not repo.exists(module):
                    continue
                source = _module_version(repo, module, "__version__")
                if source is not None:
                    project.sources.append(source)
    project.sources = [s for s in project.sources if not is_placeholder(s.value)]
    if not project.file:
        return None
    return project


def _text_of(doc: Document, path: tuple[str, ...]) -> tuple[str, int] | None:
    entry = doc.get(path)
    if entry is None or not isinstance(entry.value, str):
        return None
    return entry.value, entry.line


def _pyproject(doc: Document, project: Project, attr_targets: list[tuple[str, str, int, str]], uv_lock: bool = False) -> None:
    path = doc.path
    folder = posixpath.dirname(path)
    name = _text_of(doc, ("project", "name")) or _text_of(doc, ("tool", "poetry", "name"))
    project.name = name[0] if name else ""
    dynamic = [e.value for e in doc.entries if e.path[:2] == ("project", "dynamic") and isinstance(e.value, str)]
    requires = [e.value for e in doc.entries if e.path[:2] == ("build-system", "requires") and isinstance(e.value, str)]
    backend = (_text_of(doc, ("build-system", "build-backend")) or ("", 0))[0]
    scm = [r for r in requires if _SCM_REQUIRES.match(r.strip())]
    keys = {e.path[:3] for e in doc.entries}
    if ("tool", "setuptools_scm") in {p[:2] for p in keys} or ("tool", "setuptools-scm") in {p[:2] for p in keys}:
        scm.append("setuptools-scm")
    hatch_source = _text_of(doc, ("tool", "hatch", "version", "source"))
    if hatch_source and hatch_source[0] in ("vcs", "regex_commit", "code"):
        scm.append(f"hatch ({hatch_source[0]})")
    pdm_source = _text_of(doc, ("tool", "pdm", "version", "source"))
    if pdm_source and pdm_source[0] in ("scm", "call"):
        scm.append("pdm (scm)")
    enabled = doc.get(("tool", "poetry-dynamic-versioning", "enable"))
    if enabled is not None and enabled.value is True:
        scm.append("poetry-dynamic-versioning")
    static = _text_of(doc, ("project", "version"))
    poetry = _text_of(doc, ("tool", "poetry", "version"))
    not_installed = _not_installed(doc, static or poetry, uv_lock)
    if not_installed:
        # Nothing builds or installs this project (micromasters: `[tool.uv] package = false`, the
        # Dockerfile runs `uv sync --no-install-project`): its [project] version is read by nobody.
        project.not_installed = not_installed
        static = poetry = None
    if static and "version" not in dynamic:
        project.sources.append(Source(path, static[1], static[0], "[project] version", BUILD))
    elif "version" in dynamic and scm:
        project.from_git = scm[0]
    elif "version" in dynamic:
        attr = _text_of(doc, ("tool", "setuptools", "dynamic", "version", "attr"))
        hatch_path = _text_of(doc, ("tool", "hatch", "version", "path"))
        pdm_path = _text_of(doc, ("tool", "pdm", "version", "path"))
        if attr:
            module, _, attribute = attr[0].rpartition(".")
            target = _module_path(module, folder, doc)
            if target:
                attr_targets.append((target, attribute, attr[1], path))
        elif hatch_path or pdm_path:
            target_path = (hatch_path or pdm_path or ("", 0))[0]
            attr_targets.append((_join(folder, target_path), "__version__", 0, path))
        elif "flit" in backend and project.name:
            package = package_name(project.name)
            attr_targets.append((_join(folder, f"{package}/__init__.py"), "__version__", 0, path))
            attr_targets.append((_join(folder, f"src/{package}/__init__.py"), "__version__", 0, path))
    if poetry and not (scm and "poetry-dynamic-versioning" in scm):
        project.sources.append(Source(path, poetry[1], poetry[0], "[tool.poetry] version", BUILD if not static else TOOL))
    elif poetry and scm:
        project.from_git = project.from_git or scm[0]
    for key, label in ((("tool", "bumpversion", "current_version"), "[tool.bumpversion] current_version"),
                       (("tool", "tbump", "version", "current"), "[tool.tbump.version] current")):
        found = _text_of(doc, key)
        if found:
            project.sources.append(Source(path, found[1], found[0], label, TOOL))
    commitizen = _text_of(doc, ("tool", "commitizen", "version"))
    provider = _text_of(doc, ("tool", "commitizen", "version_provider"))
    if commitizen and (provider is None or provider[0] == "commitizen"):
        project.sources.append(Source(path, commitizen[1], commitizen[0], "[tool.commitizen] version", TOOL))


_TOOL_DEFAULTS = frozenset({"0.1.0", "0.0.1"})  # what `uv init`, `poetry new`/`init`, `pdm init` and migrate-to-uv write


def _not_installed(doc: Document, version: tuple[str, int] | None, uv_lock: bool) -> str:
    """Why the project's own version is never installed ("" when it may be): packaging is
    switched off (uv ``package = false``, poetry ``package-mode = false``, pdm ``distribution =
    false`` or ``package-type = "application"``, rye ``virtual = true``), or a uv project has no
    ``[build-system]`` (uv then installs only its dependencies) and its version is still the
    0.1.0 / 0.0.1 an init tool wrote."""
    for key, off, label in ((("tool", "uv", "package"), False, "[tool.uv] package = false"),
                            (("tool", "poetry", "package-mode"), False, "[tool.poetry] package-mode = false"),
                            (("tool", "pdm", "distribution"), False, "[tool.pdm] distribution = false"),
                            (("tool", "pdm", "package-type"), "application", '[tool.pdm] package-type = "application"'),
                            (("tool", "rye", "virtual"), True, "[tool.rye] virtual = true")):
        entry = doc.get(key)
        if entry is not None and entry.value == off and type(entry.value) is type(off):
            return label
    forced = doc.get(("tool", "uv", "package"))
    if forced is not None and forced.value is True:
        return ""  # uv builds and installs it even without a [build-system]
    paths = {e.path[:2] for e in doc.entries}
    uv_managed = uv_lock or ("tool", "uv") in paths
    if version and version[0].strip() in _TOOL_DEFAULTS and uv_managed and not any(p[:1] == ("build-system",) for p in paths):
        return f"a uv project with no [build-system] (uv installs only its dependencies) at the init default {version[0].strip()}"
    return ""


def _module_path(module: str, folder: str, doc: Document | None = None) -> str:
    """``pkg.about`` -> ``pkg/about.py`` (or its package ``__init__.py``); the
    repo decides which exists, so both are tried by the caller."""
    if not module:
        return ""
    base = module.replace(".", "/")
    package_dir = ""
    if doc is not None:
        where = _text_of(doc, ("tool", "setuptools", "package-dir", ""))
        package_dir = where[0] if where else ""
    prefix = f"{package_dir}/" if package_dir else ""
    return _join(folder, f"{prefix}{base}")


def _module_version(repo: Repo, module: str, attribute: str) -> Source | None:
    """The literal ``attribute = "x"`` in a module file (``module`` may lack ``.py``)."""
    import ast

    candidates = [module] if module.endswith(".py") else [f"{module}.py", f"{module}/__init__.py",
                                                           _src(f"{module}.py"), _src(f"{module}/__init__.py")]
    for path in candidates:
        if not repo.exists(path):
            continue
        tree = repo.python_tree(path)
        if tree is None:
            return None
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
            value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
            if any(isinstance(t, ast.Name) and t.id == attribute for t in targets):
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    return Source(path, node.lineno, value.value, attribute, MODULE)
                if isinstance(value, ast.Tuple) and value.elts and all(isinstance(e, ast.Constant) for e in value.elts):
                    return Source(path, node.lineno, ".".join(str(getattr(e, "value", "")) for e in value.elts), attribute, MODULE)
                return None  # computed (importlib.metadata, a git describe): nothing to compare
        return None
    return None


def _src(path: str) -> str:
    folder, _, rest = path.partition("/")
    return f"{folder}/src/{rest}" if "/" in path and folder else f"src/{path}"


def _setup_cfg(repo: Repo, doc: Document, folder: str, project: Project, attr_targets: list[tuple[str, str, int, str]]) -> None:
    name = _text_of(doc, ("metadata", "name"))
    project.name = project.name or (name[0] if name else "")
    version = _text_of(doc, ("metadata", "version"))
    if version:
        value, line = version[0].strip(), version[1]
        if value.startswith("attr:"):
            module, _, attribute = value[5:].strip().rpartition(".")
            package_dir = _text_of(doc, ("options", "package_dir"))
            prefix = ""
            if package_dir and "=" in package_dir[0]:
                prefix = package_dir[0].split("=", 1)[1].strip() + "/"
            attr_targets.append((_join(folder, prefix + module.replace(".", "/")), attribute, line, doc.path))
        elif value.startswith("file:"):
            target = _join(folder, value[5:].strip().split(",")[0].strip())
            text = repo.text(target)
            if text is not None and text.strip():
                project.sources.append(Source(target, 1, text.strip().splitlines()[0], posixpath.basename(target), BUILD))
        elif not project.from_git:
            project.sources.append(Source(doc.path, line, value, "[metadata] version", BUILD))
    bump = _text_of(doc, ("bumpversion", "current_version"))
    if bump:
        project.sources.append(Source(doc.path, bump[1], bump[0], "[bumpversion] current_version", TOOL))
    requires = _text_of(doc, ("options", "setup_requires"))
    if requires and any(_SCM_REQUIRES.match(r.strip()) for r in requires[0].split("\n") if r.strip()):
        project.from_git = project.from_git or "setuptools-scm"


def _setup_py(repo: Repo, path: str, project: Project) -> None:
    import ast

    tree = repo.python_tree(path)
    if tree is None:
        return
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or getattr(node.func, "id", getattr(node.func, "attr", "")) != "setup":
            continue
        for keyword in node.keywords:
            if keyword.arg == "use_scm_version" and not (isinstance(keyword.value, ast.Constant) and not keyword.value.value):
                project.from_git = "setuptools-scm"
            if keyword.arg == "version" and isinstance(keyword.value, ast.Constant) and isinstance(keyword.value.value, str):
                project.sources.append(Source(path, keyword.value.lineno, keyword.value.value, "setup(version=...)", BUILD))
            if keyword.arg == "name" and isinstance(keyword.value, ast.Constant) and isinstance(keyword.value.value, str):
                project.name = project.name or keyword.value.value
    if "pbr=True" in (repo.text(path) or "").replace(" ", ""):
        project.from_git = project.from_git or "pbr"


def disagreements(project: Project) -> Iterator[tuple[Source, Source]]:
    """(source, the installed source) for every source that says otherwise."""
    installed = project.installed
    if installed is None or project.from_git:
        return
    for source in project.sources:
        if source is not installed and not same(source.value, installed.value):
            yield source, installed


# ---- tags ------------------------------------------------------------------------

_TAG = re.compile(r"^(?:refs/tags/)?(?:(?P<prefix>.*?)[-_/@]?)v?(?P<version>\d+(?:\.\d+)+(?:[.-]?(?:a|b|rc|alpha|beta|pre|post|dev)\.?\d*)*)$",
                  re.I)


def parse_tag(tag: str) -> tuple[str, str] | None:
    """``refs/tags/v1.2.3`` -> ``("", "1.2.3")``; ``api-v2.0`` -> ``("api", "2.0")``; None for other tags."""
    match = _TAG.match(tag.strip())
    if not match:
        return None
    return (match.group("prefix") or "").strip("-_/@"), match.group("version")


def project_for_tag(found: list[Project], prefix: str) -> Project | None:
    if prefix:
        wanted = package_name(prefix)
        for project in found:
            if package_name(project.name) == wanted or package_name(posixpath.basename(project.root)) == wanted:
                return project
        return None
    top = [p for p in found if p.root == ""]
    if top:
        return top[0]
    versioned = [p for p in found if p.sources or p.from_git]
    return versioned[0] if len(versioned) == 1 else None


# ---- changelog ----------------------------------------------------------------------

_CHANGELOG = re.compile(r"^(changelog|changes|history|news|release[-_]?notes|releases)(\.(md|rst|txt|markdown))?$", re.I)
_FRAGMENT_DIRS = ("changelog.d", "newsfragments", "changes", "news", "changelog", ".changelog", "changelog.d/unreleased")


def changelog_files(repo: Repo, folder: str) -> list[str]:
    found = [f for f in repo.files if posixpath.dirname(f) == folder and _CHANGELOG.match(posixpath.basename(f))]
    if not found and folder:
        found = [f for f in repo.files if "/" not in f and _CHANGELOG.match(f)]
    return found


def has_fragments(repo: Repo, folder: str, pyproject: Document | None) -> bool:
    configured = pyproject is not None and any(e.path[:2] in (("tool", "towncrier"), ("tool", "scriv")) for e in pyproject.entries)
    configured = configured or repo.exists(_join(folder, "towncrier.toml")) or repo.exists(_join(folder, "changelog.d/scriv.ini"))
    if not configured:
        return False
    prefixes = tuple(_join(folder, d) + "/" for d in _FRAGMENT_DIRS)
    return any(f.startswith(prefixes) and not posixpath.basename(f).startswith((".", "template")) for f in repo.files)


def heading_line(text: str, version: str) -> int:
    """The line of the heading that names ``version`` (0 when none)."""
    token = re.compile(r"(?<![\w.])v?" + re.escape(version) + r"(?![\w]|\.\d)")
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not token.search(line):
            continue
        stripped = line.strip()
        underline = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if stripped.startswith(("#", "[", "=")) or (underline and set(underline) <= set("=-~^*+#") and len(underline) >= 3) \
                or re.match(r"^(v|version|release)?\s*\[?v?" + re.escape(version), stripped, re.I) \
                or stripped.startswith(("**", "*" + version, "- " + version, "- v" + version)):
            return i + 1
    return 0
