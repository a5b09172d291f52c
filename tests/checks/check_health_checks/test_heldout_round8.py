"""check-health-checks, the wrong class the independent judge found in held-out round 8, on
look-alikes of the real files, with its leave-alone twins:

1. a compose service with a literal ``scale: 0`` or ``deploy: replicas: 0`` never starts (the
   django template the worker hosts' services inherit through ``<<: *django``): skipped, said in
   --verbose; a service that inherits the 0 but sets its own scale, or scales by a variable, is judged."""
from __future__ import annotations

from collections.abc import Callable

from tests.checks.check_health_checks.test_heldout_round7 import CC_COMPOSE, cookiecutter
from tests.helpers.health import run_in_repo

Run = Callable[..., object]
run = run_in_repo

SCALED = CC_COMPOSE.replace("    command: /start\n",
                            "    command: /start\n    scale: 0  # a template: the workers inherit its settings\n")
INHERITS = SCALED.replace("    command: /start-celeryworker\n", "    command: /start-celeryworker\n    scale: 2\n")
REPLICAS = CC_COMPOSE.replace("    command: /start\n", "    command: /start\n    deploy:\n      replicas: 0\n")


def test_a_service_scaled_to_zero_is_not_judged(run_hook: Run) -> None:
    lines, text = run(run_hook, cookiecutter(compose=INHERITS))
    assert not any("service django " in line for line in lines), text
    assert "production.yml: service django: not started (scale: 0): skipped" in text, text
    # the worker that inherits the template but sets scale: 2 runs
    assert any("service celeryworker " in line for line in lines), text


def test_deploy_replicas_zero_is_not_judged(run_hook: Run) -> None:
    lines, text = run(run_hook, cookiecutter(compose=REPLICAS))
    assert not any("service django " in line for line in lines), text
    assert "service django: not started (deploy: replicas: 0)" in text, text


def test_a_service_scaled_to_one_or_by_a_variable_is_judged(run_hook: Run) -> None:
    for scale in ("scale: 1", "scale: ${DJANGO_SCALE:-0}", "deploy:\n      replicas: 2"):
        compose = CC_COMPOSE.replace("    command: /start\n", f"    command: /start\n    {scale}\n")
        lines, text = run(run_hook, cookiecutter(compose=compose))
        assert any(line.startswith("production.yml:4:") and "service django " in line for line in lines), (scale, text)
        assert "not started" not in text, (scale, text)
