"""no-inline-secrets after the first-wave held-out round 8: a Tornado service's
``define("mysql_password", default="...")`` is its config written in code (read
as ``options.mysql_password``); the default is judged as a value of a setting
of that name. Catch / leave-alone pairs on files shaped like real ones; no
value is ever printed in full."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.conftest import HookResult

PASSWORD = "Kq7vR2mZp9"  # made up
TOKEN = "sk_live_Qx7Lm2Vw9Kd4Pz8Rt1Hn6Bc5"  # made up


def _run(run_hook: Callable[..., HookResult], files: dict[str, str]) -> tuple[int, str]:
    code, out = run_hook("no-inline-secrets", files=files, pass_filenames=True)[:2]
    assert PASSWORD[2:] not in out and TOKEN[10:] not in out  # masked
    return code, out


SETTING = """\
{imports}

#port
{define}("port", default=9014, help="run on the given port", type=int)

#mysql
{define}("mysql_host", default="10.0.0.7", help="database host")
{define}("mysql_database", default="shop", help="database name")
{define}("mysql_user", default="root", help="database user")
{define}("mysql_password", default={value}, help="database password")

{define}("pool_size", default=20, help="pool size")
"""


@pytest.mark.parametrize(("imports", "define"), [
    ("from tornado.options import define", "define"),
    ("from tornado.options import define, options", "options.define"),
    ("from tornado.options import options", "options.define"),
    ("from tornado import options", "options.define"),
    ("import tornado.options", "tornado.options.define"),
])
def test_a_tornado_option_default_is_caught(run_hook, imports: str, define: str) -> None:
    text = SETTING.format(imports=imports, define=define, value=f'"{PASSWORD}"')
    code, out = _run(run_hook, {"config/setting.py": text})
    assert code == 1 and out.count("no-inline-secrets:") == 1
    assert "setting.py:10:" in out and "password literal default of define() in options.mysql_password" in out


def test_a_default_given_by_keyword_name_and_a_token_in_any_option_are_caught(run_hook) -> None:
    text = ('import tornado.options\n'
            f'tornado.options.define(name="db_password", default="{PASSWORD}", help="db")\n'
            f'tornado.options.define("stripe", "{TOKEN}")\n')
    code, out = _run(run_hook, {"app/options.py": text})
    assert code == 1 and "options.db_password" in out and "Stripe" in out


@pytest.mark.parametrize("value", ['""', '"changeme"', '"your-password-here"', '"<password>"', "None",
                                   'os.environ.get("MYSQL_PASSWORD")'])
def test_a_placeholder_empty_or_read_default_passes(run_hook, value: str) -> None:
    text = SETTING.format(imports="import os\nfrom tornado.options import define", define="define", value=value)
    assert _run(run_hook, {"config/setting.py": text}) == (0, "")


def test_a_define_that_is_not_tornados_passes(run_hook) -> None:
    text = SETTING.format(imports="from myapp.registry import define", define="define", value=f'"{PASSWORD}"')
    assert _run(run_hook, {"config/setting.py": text}) == (0, "")


def test_a_tornado_option_in_a_test_module_passes(run_hook) -> None:
    text = SETTING.format(imports="from tornado.options import define", define="define", value=f'"{PASSWORD}"')
    assert _run(run_hook, {"tests/test_setting.py": text}) == (0, "")
