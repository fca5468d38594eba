"""Schemathesis against the WSGI app, in process: every check, every phase (examples, coverage,
fuzzing, stateful), signed in as an admin. Used by test_schemathesis.py (a short budget, in CI) and
by `make fuzz` (the full budget).
"""

import os
from dataclasses import dataclass

import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events, from_schema
from schemathesis.engine.statistic import Statistic

# Examples per operation and steps per stateful scenario. "short" keeps CI to about a minute or
# two per engine on two cores; "full" is `make fuzz`.
BUDGETS = {"short": {"examples": 10, "steps": 6}, "full": {"examples": 100, "steps": 20}}


@dataclass
class Outcome:
    cases: int
    failures: int
    report: str


def config(token: str, budget: str, seed: int | None) -> SchemathesisConfig:
    size = BUDGETS[budget]
    return SchemathesisConfig.from_dict({
        "seed": seed,
        "headers": {"Authorization": f"Bearer {token}"},
        "checks": {"enabled": True},  # all of them, as `--checks all`
        "generation": {"max-examples": size["examples"]},
        "phases": {"stateful": {"max-steps": size["steps"]}},
        # Nothing written next to the checkout: every run starts from what the schema says.
        "cache": {"enabled": False},
        "workers": 1,
    })


def run(wsgi_app, token: str, budget: str | None = None, seed: int | None = 1) -> Outcome:
    budget = budget or os.environ.get("PLANNER_FUZZ_BUDGET", "short")
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app, config=config(token, budget, seed))
    statistic = Statistic()
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished) and event.is_test_scenario:
            statistic.on_scenario_finished(event.recorder)
        elif isinstance(event, events.FatalError):
            raise event.exception
    return Outcome(statistic.total_cases, statistic.total_failures, _report(statistic))


def _report(statistic: Statistic) -> str:
    lines = []
    for label, groups in statistic.failures.items():
        for group in groups.values():
            for failure in group.failures:
                status = group.response.status_code if group.response is not None else "-"
                lines.append(f"{label} -> {status}: {failure.title}: {failure.message[:300]}")
    return "\n".join(lines)
