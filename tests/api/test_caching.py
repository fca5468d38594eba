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
