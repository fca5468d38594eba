"""An unexpected failure is a JSON 500 envelope with the request id, never HTML or a traceback."""

from backend_api.dashboard import views


def test_unexpected_exception_is_a_json_500(admin, monkeypatch):
    def boom(*_args, **_kw):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views, "dashboard", boom)
    response = admin.get("/api/dashboard/", headers={"X-Request-ID": "req-500-test"})
    assert response.status_int == 500
    assert response.content_type == "application/json"
    assert response.json == {"detail": "Something went wrong on our side. Please try again.", "code": "server_error"}
    assert "secret internals" not in response.text
    assert response.headers["X-Request-ID"] == "req-500-test"
