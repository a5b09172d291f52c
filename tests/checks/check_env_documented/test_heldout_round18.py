"""check-env-documented, held-out round 18 (tubearchivist, ruqqus, zaken-api): the wrong classes and the
miss the judge found, each on files shaped like the real ones, with a catch and a leave-alone test.

- a fallback alias in ``A or B or "d"``: every value but the last has a fallback;
- the items of a list whose every use skips the empty ones (``[f(x) for x in URIS if x]``, ``any(URIS)``);
- a read in a module-level function nothing in the repository calls or names;
- a helper whose default is its own parameter defaulting to decouple's ``undefined`` (the "required" marker).
"""
from __future__ import annotations

from hooks.checks.check_env_documented.python import scan
from tests.helpers.env_documented import Fixtures, reported, run_hook


def defaults(reads: object) -> dict[str, str | None]:
    found = getattr(reads, "reads", reads)
    assert isinstance(found, list)
    return {r.name: r.default for r in found}


# -- 1. fallback aliases in an `or` chain -----------------------------------------------------------------------

LDAP = """\
from os import environ

AUTH_LDAP_USER_ATTR_MAP_USERNAME = (
    environ.get("SVC_LDAP_ATTR_USERNAME")
    or environ.get("SVC_LDAP_ATTR_UID")
    or "uid"
)

AUTH_LDAP_USER_ATTR_MAP_SURNAME = (
    environ.get("SVC_LDAP_ATTR_SURNAME")
    or environ.get("SVC_LDAP_ATTR_LASTNAME")
    or environ.get("SVC_LDAP_ATTR_FAMILYNAME")
    or "sn"
)
"""


def test_leave_alone_every_alias_of_an_or_chain_ending_in_a_default() -> None:
    found = defaults(scan("config/ldap_settings.py", LDAP))
    for name in ("USERNAME", "UID", "SURNAME", "LASTNAME", "FAMILYNAME"):
        assert found[f"SVC_LDAP_ATTR_{name}"] == "", name


def test_catch_the_last_read_of_an_or_chain_with_no_default() -> None:
    chain = 'import os\n\nDSN = os.environ.get("SVC_DSN") or os.environ.get("SVC_DB_URL") or os.environ["SVC_DATABASE"]\n'
    found = defaults(scan("svc/settings.py", chain))
    assert found["SVC_DSN"] == "" and found["SVC_DB_URL"] == ""
    assert found["SVC_DATABASE"] is None


# -- 2. a list whose empty items are skipped --------------------------------------------------------------------

MAIN = """\
from os import environ
from flask import Flask
from sqlalchemy import create_engine

app = Flask(__name__)
app.config["DATABASE_URL"] = environ.get("SVC_DATABASE_URL")
app.config["SQLALCHEMY_READ_URIS"] = [
    environ.get("SVC_READ_01_URL"),
    environ.get("SVC_READ_02_URL"),
]

engines = {
    "leader": create_engine(app.config["DATABASE_URL"]),
    "followers": [create_engine(x) for x in app.config["SQLALCHEMY_READ_URIS"] if x]
    if any(i for i in app.config["SQLALCHEMY_READ_URIS"]) else [create_engine(app.config["DATABASE_URL"])],
}
"""


def test_leave_alone_list_items_every_use_of_which_skips_the_empty_ones() -> None:
    found = defaults(scan("svc/__main__.py", MAIN))
    assert found["SVC_READ_01_URL"] == "" and found["SVC_READ_02_URL"] == ""
    assert found["SVC_DATABASE_URL"] is None
    plain = 'import os\n\nHOSTS = [os.getenv("SVC_HOST_A"), os.getenv("SVC_HOST_B")]\nUP = list(filter(None, HOSTS))\n'
    assert defaults(scan("svc/hosts.py", plain))["SVC_HOST_B"] == ""


def test_catch_list_items_used_unfiltered_or_read_strictly() -> None:
    used = MAIN + 'print(",".join(app.config["SQLALCHEMY_READ_URIS"]))\n'
    assert defaults(scan("svc/__main__.py", used))["SVC_READ_01_URL"] is None
    strict = MAIN.replace('environ.get("SVC_READ_01_URL")', 'environ["SVC_READ_01_URL"]')
    assert defaults(scan("svc/__main__.py", strict))["SVC_READ_01_URL"] is None


# -- 3. a function nothing calls ---------------------------------------------------------------------------------

HOOKS = """\
import os
import requests
from flask import Flask

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ.get("SVC_MASTER_KEY")


def log_event(name, link):
    url = os.environ.get("SVC_DISCORD_WEBHOOK")
    requests.post(url, json={"content": f"{name} {link}"})


@app.after_request
def after_request(response):
    # thread = threading.Thread(target=lambda: log_event(name="Signup", link=link))
    return response
"""


def test_leave_alone_a_read_in_a_function_nothing_calls(env: Fixtures) -> None:
    code, out, _ = run_hook(*env, {"svc/__main__.py": HOOKS, "docker-compose.yml":
                                   "services:\n  web:\n    environment:\n      SVC_MASTER_KEY: x\n"})
    assert "SVC_DISCORD_WEBHOOK" not in reported(out), out
    assert scan("svc/__main__.py", HOOKS).reads[1].func == "log_event"


def test_catch_a_read_in_a_function_called_elsewhere_or_by_name(env: Fixtures) -> None:
    files = {"svc/__main__.py": HOOKS, "svc/signup.py": "from svc.__main__ import log_event\n",
             "docker-compose.yml": "services:\n  web:\n    environment:\n      SVC_MASTER_KEY: x\n"}
    code, out, _ = run_hook(*env, files)
    assert reported(out) == ["SVC_DISCORD_WEBHOOK"], out
    # a reference in the module itself (a thread's target), a string, a decorator: called
    for called in ("threading.Thread(target=log_event)\n", 'HOOK = "svc.__main__.log_event"\n'):
        assert scan("svc/__main__.py", HOOKS + called).reads[1].func == ""
    decorated = HOOKS.replace("def log_event", "@app.route('/log')\ndef log_event")
    assert scan("svc/__main__.py", decorated).reads[1].func == ""
    # a tool finds a Flask app factory by its name
    factory = "import os\n\n\ndef create_app():\n    return os.environ['SVC_SECRET']\n# create_app()\n"
    assert scan("svc/app.py", factory).reads[0].func == ""
    # no comment names it either: it may be called by a name built at run time
    uncommented = HOOKS.replace("    # thread = threading.Thread(target=lambda: log_event(name=\"Signup\", link=link))\n", "")
    assert scan("svc/__main__.py", uncommented).reads[1].func == ""


# -- 4. decouple's required marker passed through a helper ------------------------------------------------------

ENVIRON = """\
from decouple import Csv, config as _config, undefined


def config(option: str, default=undefined, *args, **kwargs):
    if "split" in kwargs:
        kwargs.pop("split")
        kwargs["cast"] = Csv()
    return _config(option, default=default, *args, **kwargs)
"""

BASE = """\
from .environ import config

SECRET_KEY = config("SVC_SECRET_KEY")
DEBUG = config("SVC_DEBUG", default=False)
"""


def test_catch_a_helper_call_without_default_when_the_helper_defaults_to_the_required_marker() -> None:
    found = defaults(scan("svc/conf/environ.py", ENVIRON + "\n" + BASE.replace("from .environ import config\n", "")))
    assert found["SVC_SECRET_KEY"] is None
    assert found["SVC_DEBUG"] == "False"


def test_leave_alone_a_helper_whose_own_default_is_none() -> None:
    helper = ENVIRON.replace("default=undefined", "default=None")
    found = defaults(scan("svc/conf/environ.py", helper + "\n" + BASE.replace("from .environ import config\n", "")))
    assert found["SVC_SECRET_KEY"] == ""


# -- 5. a README env-table row linking out documents its family ---------------------------------------------------

README = """\
# svc

| Environment Var | Value | |
| --- | --- | --- |
| SVC_HOST | Hostname of the service | Required |
| SVC_LDAP | Configure LDAP authentication | [Read more](https://docs.example.org/configuration/ldap/) |
"""

LDAP_MODULE = """\
from os import environ

AUTH_LDAP_SERVER_URI = environ.get("SVC_LDAP_SERVER_URI")
AUTH_LDAP_BIND_DN = environ.get("SVC_LDAP_BIND_DN")
ALLOWED = environ.get("SVC_HOST")
TOKEN = environ["SVC_API_TOKEN"]
"""


def test_leave_alone_a_family_a_readme_row_links_out_for(env: Fixtures) -> None:
    code, out, _ = run_hook(*env, {"README.md": README, "config/ldap_settings.py": LDAP_MODULE})
    assert reported(out) == ["SVC_API_TOKEN"], out


def test_catch_a_family_whose_row_does_not_link_out(env: Fixtures) -> None:
    plain = README.replace("[Read more](https://docs.example.org/configuration/ldap/)", "see the wiki")
    code, out, _ = run_hook(*env, {"README.md": plain, "config/ldap_settings.py": LDAP_MODULE})
    assert reported(out) == ["SVC_API_TOKEN", "SVC_LDAP_BIND_DN", "SVC_LDAP_SERVER_URI"], out
