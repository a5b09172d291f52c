"""check-health-checks' Host verdict (hosts.py) on settings as the layers resolve
them: what Django does with ``Host: 10.1.2.3:8000`` (the kubelet's probe). The
fixture project's settings variants run through ``django.test.Client`` in
test_frameworks_diff.py; these are the branches around them."""
from __future__ import annotations

from typing import Any

import pytest

from hooks.checks.check_health_checks import hosts
from hooks.common.settings_values import ENV, LITERAL, MISSING, OPAQUE, Val

COMMON = ["django.middleware.security.SecurityMiddleware", hosts.COMMON]


def ns(**values: Any) -> dict[str, tuple[Val, ...]]:
    out: dict[str, tuple[Val, ...]] = {"MIDDLEWARE": (Val(LITERAL, COMMON),)}
    for key, value in values.items():
        out[key] = value if isinstance(value, tuple) else (value if isinstance(value, Val) else Val(LITERAL, value),)
    return out


@pytest.mark.parametrize("pattern, host, allowed", [
    ("*", "10.1.2.3", True), ("10.1.2.3", "10.1.2.3", True), (".example.com", "a.example.com", True),
    (".example.com", "example.com", True), ("example.com", "10.1.2.3", False), ("EXAMPLE.com", "example.COM", True),
])
def test_validate_host_as_django_does(pattern: str, host: str, allowed: bool) -> None:
    assert hosts.validate_host(host, [pattern]) is allowed


@pytest.mark.parametrize("settings, rejected, why", [
    (ns(ALLOWED_HOSTS=["shop.example.com"]), True, "does not allow the pod IP"),
    (ns(ALLOWED_HOSTS="shop.example.com, 10.1.2.3"), False, "allows it"),
    (ns(ALLOWED_HOSTS=["*"]), False, "allows it"),
    (ns(ALLOWED_HOSTS=[], DEBUG=True), True, "does not allow"),  # DEBUG allows only localhost names
    (ns(ALLOWED_HOSTS=Val(MISSING), DEBUG=False), True, "does not allow"),
    (ns(ALLOWED_HOSTS=Val(ENV, env="ALLOWED_HOSTS")), None, "read from the environment"),
    (ns(ALLOWED_HOSTS=Val(OPAQUE)), None, "cannot be read"),
    (ns(ALLOWED_HOSTS=[OPAQUE, "a.example.com"]), None, "values the hook cannot read"),
    (ns(ALLOWED_HOSTS=[], DEBUG=Val(ENV, env="DEBUG")), None, "DEBUG cannot be read"),
    (ns(ALLOWED_HOSTS=["a.example.com"], ALLOWED_CIDR_NETS=["10.0.0.0/8"]), None, "ALLOWED_CIDR_NETS"),
    ({"ALLOWED_HOSTS": (Val(LITERAL, ["a.example.com"]),)}, None, "MIDDLEWARE is not set"),
    (ns(MIDDLEWARE=Val(OPAQUE)), None, "MIDDLEWARE cannot be read"),
    (ns(MIDDLEWARE=["django.middleware.security.SecurityMiddleware"], ALLOWED_HOSTS=["a.example.com"]), False, "not installed"),
    (ns(MIDDLEWARE=["health_check.middleware.HealthMiddleware", hosts.COMMON], ALLOWED_HOSTS=["a.example.com"]), None,
     "runs before CommonMiddleware"),
])
def test_verdicts(settings: dict[str, tuple[Val, ...]], rejected: bool | None, why: str) -> None:
    got = hosts.verdict(settings, {})
    assert got.rejected is rejected and why in got.why


def test_the_containers_literal_env_fills_an_env_setting() -> None:
    settings = ns(ALLOWED_HOSTS=Val(ENV, env="DJANGO_ALLOWED_HOSTS"))
    assert hosts.verdict(settings, {"DJANGO_ALLOWED_HOSTS": "shop.example.com"}).rejected is True
    assert hosts.verdict(settings, {"DJANGO_ALLOWED_HOSTS": "*"}).rejected is False
    assert hosts.shown(settings["ALLOWED_HOSTS"][0], {"DJANGO_ALLOWED_HOSTS": "a.example.com b.example.com"}) == \
        "['a.example.com', 'b.example.com']"
    assert hosts.shown(None, {}) == "[] (not set)"
    assert hosts.shown(Val(LITERAL, ["x" * 100]), {}).endswith("...")


def test_a_setting_set_in_branches_is_rejected_only_when_every_branch_rejects() -> None:
    # ALLOWED_HOSTS set in an if/else: one branch that allows the pod IP is enough not to call it a 400
    settings = ns(ALLOWED_HOSTS=(Val(LITERAL, ["*"]), Val(LITERAL, ["shop.example.com"])))
    assert hosts.verdict(settings, {}).rejected is False
    settings = ns(ALLOWED_HOSTS=(Val(LITERAL, ["shop.example.com"]), Val(LITERAL, ["api.example.com"])))
    got = hosts.verdict(settings, {})
    assert got.rejected is True and got.setting is not None and got.setting.value == ["api.example.com"]
