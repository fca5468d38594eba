"""Schemathesis against the WSGI app, in process: every check, every phase (examples, coverage,
fuzzing, stateful), signed in as an admin. Used by test_schemathesis.py (a short budget, in CI) and
by `make fuzz` (the full budget).
"""

import os
import re
from dataclasses import dataclass

import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events, from_schema
from schemathesis.engine.statistic import Statistic
from schemathesis.openapi.checks import RejectedPositiveData

# Examples per operation and steps per stateful scenario. "short" keeps CI to about a minute or
# two per engine on two cores; "full" is `make fuzz`.
BUDGETS = {"short": {"examples": 10, "steps": 6}, "full": {"examples": 200, "steps": 20}}

# Schema-valid data the API rightly refuses, for rules no JSON Schema can state: they depend on
# what is stored or on who asks, or tie two fields together. Each is tested in its feature's tests;
# here a 400 with one of these codes or messages is not a failure of the contract.
STATE_CODES = {"duplicate", "last_admin"}
STATE_RULES = re.compile(
    "|".join(
        [
            r"does not exist\.",  # a linked row that is not there
            r"You cannot (delete|disable) your own",  # the caller's own account
            r"still has \d+ assignment",  # delete refused while rows point at it
            r"cannot sit inside itself",  # a department loop
            r"The end date must not be before",  # two fields together
            r"is not a Monday",  # weeklyHours keys are Mondays
        ]
    )
)


@dataclass
class Outcome:
    cases: int
    failures: int
    report: str
    by_phase: dict[str, int]  # cases per phase


def config(token: str, budget: str, seed: int | None) -> SchemathesisConfig:
    size = BUDGETS[budget]
    return SchemathesisConfig.from_dict(
        {
            "seed": seed,
            "headers": {"Authorization": f"Bearer {token}"},
            # All of them, as `--checks all`. A schema-valid If-Match the fuzzer made up cannot match the
            # object's current ETag: 412 is then the right answer to valid data.
            "checks": {
                "enabled": True,
                "positive_data_acceptance": {
                    "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "412", "429", "5xx"]
                },
                # A PATCH/PUT without its required If-Match is a 428 Precondition Required (RFC 6585).
                "missing_required_header": {"expected-statuses": ["400", "401", "403", "406", "415", "422", "428"]},
            },
            # No example database: a run is given by its seed alone.
            "generation": {"max-examples": size["examples"], "database": "none"},
            "phases": {"stateful": {"max-steps": size["steps"]}},
            # Nothing written next to the checkout: every run starts from what the schema says.
            "cache": {"enabled": False},
            "workers": 1,
        }
    )


def run(wsgi_app, token: str, budget: str | None = None, seed: int | None = None) -> Outcome:
    # A fixed seed by default, so CI explores the same cases every time; PLANNER_FUZZ_SEED for others.
    budget = budget or os.environ.get("PLANNER_FUZZ_BUDGET", "short")
    seed = seed if seed is not None else int(os.environ.get("PLANNER_FUZZ_SEED", "1"))
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app, config=config(token, budget, seed))
    schema.hook(filter_failure)
    statistic, failed, by_phase = Statistic(), {}, {}
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished) and event.is_test_scenario:
            statistic.on_scenario_finished(event.recorder)
            phase = event.phase.value
            by_phase[phase] = by_phase.get(phase, 0) + len(event.recorder.cases)
            failed.update(
                {
                    case_id: event.recorder.cases[case_id].value
                    for groups in statistic.failures.values()
                    for case_id in groups
                    if case_id in event.recorder.cases
                }
            )
        elif isinstance(event, events.FatalError):
            raise event.exception
    return Outcome(statistic.total_cases, statistic.total_failures, _report(statistic, failed), by_phase)


def filter_failure(context, failure, case, response) -> bool:
    """False (dropped) for a 400 that enforces one of the STATE_RULES."""
    if not isinstance(failure, RejectedPositiveData) or response.status_code != 400:
        return True
    try:
        body = response.json()
    except ValueError:
        return True
    return not (body.get("code") in STATE_CODES or STATE_RULES.search(str(body)))


def _report(statistic: Statistic, cases: dict) -> str:
    """One paragraph per failure: what was sent, what came back, which check failed."""
    lines = []
    for label, groups in statistic.failures.items():
        for case_id, group in groups.items():
            case = cases.get(case_id)
            sent = ""
            if case is not None:
                headers = {k: v for k, v in (case.headers or {}).items() if k != "Authorization"}
                sent = f"path={case.path_parameters} query={case.query} headers={headers} body={str(case.body)[:200]}"
            response = group.response
            answer = f"{response.status_code} {response.text[:300]}" if response is not None else "-"
            for failure in group.failures:
                lines.append(f"{label}: {failure.title}\n  sent: {sent}\n  got: {answer}\n  {failure.message[:300]}")
    return "\n".join(lines)
