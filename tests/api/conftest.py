import pytest

from tests.factories import PASSWORD, make_user


class ApiClient:
    """A signed-in caller: every request carries its Bearer token; status is never asserted here."""

    def __init__(self, testapp, username: str, password: str = PASSWORD):
        self.app = testapp
        tokens = testapp.post_json("/api/auth/token/", {"username": username, "password": password}).json
        self.access, self.refresh = tokens["access"], tokens["refresh"]

    def _headers(self, headers):
        return {"Authorization": f"Bearer {self.access}", **(headers or {})}

    def get(self, url, headers=None, **kw):
        return self.app.get(url, headers=self._headers(headers), status="*", **kw)

    def post(self, url, body=None, headers=None):
        return self.app.post_json(url, body if body is not None else {}, headers=self._headers(headers), status="*")

    def patch(self, url, body, headers=None):
        return self.app.patch_json(url, body, headers=self._headers(headers), status="*")

    def put(self, url, body, headers=None):
        return self.app.put_json(url, body, headers=self._headers(headers), status="*")

    def delete(self, url, headers=None):
        return self.app.delete(url, headers=self._headers(headers), status="*")


@pytest.fixture
def client_for(testapp, registry):
    def make(role: str = "admin", **kw) -> ApiClient:
        user = make_user(registry, role, **kw)
        return ApiClient(testapp, user.username)

    return make


@pytest.fixture
def admin(client_for):
    return client_for("admin")


@pytest.fixture
def manager(client_for):
    return client_for("manager")


@pytest.fixture
def staff(client_for):
    return client_for("user")
