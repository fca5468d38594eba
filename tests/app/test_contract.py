"""The client's models and the API's OpenAPI document name the same fields (one source of names)."""

import pytest
from pydantic.alias_generators import to_camel

from planner_app.services import models

MODELS = {
    "PersonOut": models.Person,
    "DepartmentOut": models.Department,
    "ProjectOut": models.Project,
    "AssignmentOut": models.Assignment,
    "DeliverableOut": models.Deliverable,
    "TimeOffOut": models.TimeOff,
    "UserOut": models.User,
    "TokenPair": models.TokenPair,
    "AccessToken": models.AccessToken,
}


@pytest.fixture(scope="module")
def schemas(wsgi_app):
    from webtest import TestApp

    return TestApp(wsgi_app).get("/api/openapi.json").json["components"]["schemas"]


@pytest.mark.parametrize("schema_name", MODELS)
def test_every_client_field_is_a_field_of_the_api(schemas, schema_name):
    wire_names = {to_camel(name) for name in MODELS[schema_name].model_fields}
    assert wire_names <= set(schemas[schema_name]["properties"]), wire_names - set(schemas[schema_name]["properties"])


def _enum(schemas, name: str) -> list[str]:
    return schemas[name]["enum"]


def test_the_apps_option_lists_are_the_apis_enums(schemas):
    from planner_app.states.projects import STATUS_OPTIONS
    from planner_app.states.timeoff import KIND_OPTIONS
    from planner_app.states.users import ROLE_OPTIONS

    assert [value for value, _ in STATUS_OPTIONS] == _enum(schemas, "ProjectStatus")
    assert [value for value, _ in KIND_OPTIONS] == _enum(schemas, "TimeOffKind")
    assert [value for value, _ in ROLE_OPTIONS] == _enum(schemas, "Role")


def test_every_error_code_of_the_api_is_put_into_words(schemas):
    from planner_app.services.errors import PLAIN_MESSAGES, SHOWS_API_DETAIL

    api_codes = set(_enum(schemas, "ErrorCode"))
    assert "precondition_failed" in api_codes  # the document's list, not an empty one
    unexplained = api_codes - set(PLAIN_MESSAGES) - SHOWS_API_DETAIL
    assert not unexplained, f"give these a plain message or list them in SHOWS_API_DETAIL: {sorted(unexplained)}"
    assert not set(PLAIN_MESSAGES) & SHOWS_API_DETAIL, "a code has one way of being shown"


def test_the_apps_messages_name_only_codes_that_exist(schemas):
    from planner_app.services.errors import CLIENT_MESSAGES, PLAIN_MESSAGES, SHOWS_API_DETAIL

    api_codes = set(_enum(schemas, "ErrorCode"))
    assert set(PLAIN_MESSAGES) - api_codes == set(), "PLAIN_MESSAGES names codes the API does not send"
    assert SHOWS_API_DETAIL - api_codes == set(), "SHOWS_API_DETAIL names codes the API does not send"
    assert not set(CLIENT_MESSAGES) & api_codes, "the app's own codes must not be mistaken for the API's"


def test_every_band_and_status_has_its_colour_and_label():
    from backend_api.dashboard.services import Band
    from backend_api.projects.models import ProjectStatus
    from planner_app import styles

    for table in (styles.BAND_COLORS, styles.BAND_LABELS, styles.BAND_CHART_COLORS):
        assert list(table) == list(Band)
    assert list(styles.STATUS_COLORS) == list(ProjectStatus)


def test_the_grid_horizon_is_the_dashboards_longest_period(wsgi_app):
    from webtest import TestApp

    from planner_app.planning import GRID_WEEKS
    from planner_app.states.dashboard import WEEK_CHOICES

    operation = TestApp(wsgi_app).get("/api/openapi.json").json["paths"]["/api/dashboard/"]["get"]
    (weeks,) = [p for p in operation["parameters"] if p["name"] == "weeks"]
    assert weeks["schema"]["maximum"] == GRID_WEEKS == len(WEEK_CHOICES)
