import pytest

from tests.factories import PASSWORD, make_user


def test_planning_data_is_private_and_revalidated(admin):
    response = admin.get("/api/people/")
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert "Authorization" in response.headers["Vary"]


def test_tokens_are_never_stored(testapp, registry):
    user = make_user(registry)
    response = testapp.post_json("/api/auth/token/", {"username": user.username, "password": PASSWORD})
    assert response.headers["Cache-Control"] == "no-store"
    failed = testapp.post_json("/api/auth/token/", {"username": user.username, "password": "x"}, status=401)
    assert failed.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "path", ["/api/auth/token/cookie/", "/api/auth/token/app/", "/api/auth/token/access/", "/api/auth/logout/cookie/"]
)
def test_the_browsers_token_answers_are_never_stored_either(testapp, path):
    assert testapp.post_json(path, {}, expect_errors=True).headers["Cache-Control"] == "no-store"
