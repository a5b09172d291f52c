"""The labeled secret set: cases as data, materialised into files on demand.

Two sources, both in this folder:

* ``matrix.yaml`` - key/value rows, each rendered into a realistic file of every
  format (YAML, INI, dotenv, TOML, JSON, Python settings);
* ``<format>.yaml`` - hand-written whole files shaped like real ones;
* ``classes.yaml`` - hand-written files for each recall and precision class of
  issue 16 (pair lists, Kubernetes Secrets, credential files, vendor tokens,
  URL credentials, multi-line keys, prose passwords, salts, made-up tokens,
  public values, template references), tagged with their class.

A case is one file; ``secret`` says whether a scanner must report that file.
Used by tests/test_no_inline_secrets_labeled.py and bench/secrets.py.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
FORMATS = ("yaml", "ini", "dotenv", "toml", "json", "python")
HAND_WRITTEN = ("yaml", "ini", "dotenv", "toml", "json", "python", "properties")


@dataclass(frozen=True)
class Case:
    id: str
    format: str
    path: str  # relative path the file is written to
    text: str
    secret: bool
    klass: str = ""  # the issue-16 class of classes.yaml cases ("pairs", "k8s-secret", ...)


def _yaml_load(path: Path) -> dict:
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def _render(fmt: str, key: str, value: object) -> str | None:
    upper = key.upper()
    if fmt == "yaml":
        shown = "null" if value is None else (str(value) if isinstance(value, int) else json.dumps(value))
        return (
            "# Billing service: production settings\napp:\n  name: billing\n  workers: 4\n"
            f"service:\n  host: 0.0.0.0\n  port: 8080\n  {key}: {shown}\n  timeout_seconds: 30\n"
        )
    if fmt == "ini":
        shown = "" if value is None else str(value)
        return (
            "[app:main]\nuse = egg:billing\npyramid.reload_templates = false\n"
            f"{key} = {shown}\n\n[server:main]\nuse = egg:waitress#main\nport = 6543\n"
        )
    if fmt == "dotenv":
        text = "" if value is None else str(value)
        if any(c in text for c in " #'\"") or text.startswith("{"):
            text = '"' + text.replace('"', '\\"') + '"'
        return f"# Loaded by the deploy script\nDJANGO_SETTINGS_MODULE=settings.prod\n{upper}={text}\nWORKERS=4\n"
    if fmt == "toml":
        if value is None:
            return None  # TOML has no null
        shown = str(value) if isinstance(value, int) else json.dumps(value)
        return f'[tool.billing]\nname = "billing"\n\n[tool.billing.service]\nport = 8080\n{key} = {shown}\n'
    if fmt == "json":
        body = {"service": {"name": "billing", "port": 8080, key: value, "timeout_seconds": 30}}
        return json.dumps(body, indent=2) + "\n"
    if fmt == "python":
        return (
            '"""Production settings."""\nimport os\n\nfrom .base import *  # noqa\n\nDEBUG = False\n'
            f"{upper} = {value!r}\nALLOWED_HOSTS = ['billing.example.com']\n"
        )
    raise ValueError(fmt)


_PATHS = {
    "yaml": "config/production.yaml",
    "ini": "production.ini",
    "dotenv": ".env.production",
    "toml": "pyproject.toml",
    "json": "config/production.json",
    "python": "settings/production.py",
    "properties": "conf/app.properties",
}


def load_cases() -> list[Case]:
    cases: list[Case] = []
    for number, row in enumerate(_yaml_load(HERE / "matrix.yaml")["rows"], start=1):
        for fmt in FORMATS:
            text = _render(fmt, row["key"], row["value"])
            if text is not None:
                cases.append(Case(f"matrix-{number:02d}-{fmt}", fmt, _PATHS[fmt], text, bool(row["secret"])))
    for fmt in HAND_WRITTEN:
        source = HERE / f"{fmt}.yaml"
        if not source.exists():
            continue
        for item in _yaml_load(source)["cases"]:
            path = item.get("file") or _PATHS[fmt]
            cases.append(Case(f"{fmt}-{item['id']}", fmt, path, item["text"], bool(item["secret"])))
    for item in _yaml_load(HERE / "classes.yaml")["cases"]:
        fmt = item["format"]
        cases.append(Case(f"{item['class']}-{item['id']}", fmt, item["file"], item["text"], bool(item["secret"]), item["class"]))
    return cases


def materialise(root: Path, cases: list[Case] | None = None) -> dict[str, Case]:
    """Write each case to ``root/<case id>/<path>``; returns path -> case."""
    out: dict[str, Case] = {}
    for case in cases if cases is not None else load_cases():
        target = root / case.id / case.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(case.text, encoding="utf-8")
        out[str(target)] = case
    return out
