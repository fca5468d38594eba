def test_health_needs_no_auth(testapp):
    response = testapp.get("/api/health/")
    assert response.json == {"status": "ok"}
    assert response.headers["X-Request-ID"]


def test_person_round_trip(admin):
    created = admin.post("/api/people/", {"name": "Zoë"})
    assert created.status_int == 201
    etag = created.headers["ETag"]
    changed = admin.patch(f"/api/people/{created.json['id']}/", {"jobTitle": "Architect"}, {"If-Match": etag})
    assert changed.status_int == 200 and changed.json["jobTitle"] == "Architect"
