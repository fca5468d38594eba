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
