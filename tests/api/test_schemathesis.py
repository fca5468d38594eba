"""The API keeps its OpenAPI contract: schemathesis with every check and every phase (stateful
too) finds nothing, on whichever engine the suite runs on. A short budget here; `make fuzz` runs
the full one and prints the figures."""

from tests.factories import make_user

from .conftest import ApiClient
from .fuzzing import run


def test_schemathesis_finds_nothing(testapp, registry, wsgi_app):
    admin = ApiClient(testapp, make_user(registry, "admin").username)
    outcome = run(wsgi_app, admin.access)
    print(f"\nschemathesis: {outcome.cases} cases, {outcome.failures} failures; cases by phase: {outcome.by_phase}")
    assert outcome.cases > 0
    assert outcome.failures == 0, outcome.report
