"""GET /api/people/search/ against a plain Python filter over a few hundred generated people."""

import random

import pytest

from backend_api.people.models import Person
from tests.factories import make_person

FIRST = [
    "Anna",
    "Andreas",
    "Zoë",
    "Łukasz",
    "José",
    "Ångström",
    "Jo",
    "Johan",
    "Maria",
    "Søren",
    "Chloé",
    "Björn",
    "Ann-Marie",
    "Mia",
    "Ándre",
    "Noah",
    "Ólafur",
    "Daniel",
    "Dana",
    "Ella",
]
LAST = [
    "Andersen",
    "Nowak",
    "García",
    "Müller",
    "O'Brien",
    "Smith",
    "Jensen",
    "Dąbrowski",
    "Núñez",
    "Hansen",
    "Ström",
    "Van Dijk",
    "Christensen",
    "Lee",
    "Kowalczyk",
]
DOMAINS = ["acme.com", "example.org", "fabrikam.dk"]
QUERIES = [
    "an",
    "AN",
    "jo",
    "zo",
    "zoë",
    "ZOË",
    "łuk",
    "ŁUKASZ",
    "josé",
    "jose",
    "ång",
    "ström",
    "STRÖM",
    "dre",
    "ndre",
    "nsen",
    "sen",
    "ann-m",
    "o'b",
    "acme",
    "acme.com",
    "@fab",
    "example",
    "rik",
    "van d",
    "mia",
    "anna andersen",
    "ez",
    "zz",
    "xyzzy",
    "qqq",
    "ia",
    "el",
    "ll",
    "sø",
    "øren",
]


def fold(text: str) -> str:
    return text.casefold()  # the generated names are NFC, so casefold alone is the reference


@pytest.fixture
def crowd(registry):
    rng = random.Random(19)
    people = []
    for i in range(300):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = None if i % 10 == 0 else f"{fold(first)[:3]}.{i}@{rng.choice(DOMAINS)}"
        people.append(make_person(registry, name=f"{first} {last}", email=email, is_active=i % 7 != 0))
    return people


def matches(people, q: str, include_inactive: bool = False) -> list:
    needle = fold(q.strip())
    return [
        p
        for p in people
        if (include_inactive or p.is_active) and (needle in fold(p.name) or needle in fold(p.email or ""))
    ]


def check(results: list[dict], people, q: str, limit: int = 20, include_inactive: bool = False) -> None:
    needle = fold(q.strip())
    expected = matches(people, q, include_inactive)
    ids = [r["id"] for r in results]
    assert len(ids) == len(set(ids)) and len(ids) <= limit
    assert set(ids) <= {p.id for p in expected}, q
    prefix = sorted((p for p in expected if fold(p.name).startswith(needle)), key=lambda p: (fold(p.name), p.id))
    # Prefix matches first, in name order, as many as fit.
    assert ids[: min(limit, len(prefix))] == [p.id for p in prefix[:limit]], q
    rest = results[len(prefix) :]
    assert rest == sorted(rest, key=lambda r: (fold(r["name"]), r["id"])), q
    if len(needle) >= 3:  # the trigram index sees every substring: nothing may be missing
        assert len(ids) == min(limit, len(expected)), q


def test_results_are_prefix_first_subsets_of_a_plain_filter(staff, crowd):
    for q in QUERIES:
        for limit in (5, 20):
            response = staff.get("/api/people/search/", params={"q": q, "limit": limit})
            assert response.status_int == 200, response.json
            check(response.json["results"], crowd, q, limit)
    anna = staff.get("/api/people/search/", params={"q": "an"}).json["results"]
    assert len(anna) == 20  # 2-character queries are served too (word starts)


def test_substring_inside_a_word_and_in_email_only(staff, crowd):
    inner = staff.get("/api/people/search/", params={"q": "ndre"}).json["results"]
    assert inner and all("ndre" in fold(r["name"]) for r in inner)
    by_email = staff.get("/api/people/search/", params={"q": "fabrikam"}).json["results"]
    assert by_email and all("fabrikam" in r["email"] for r in by_email)


def test_include_inactive(staff, crowd):
    for q in ("an", "sen", "acme"):
        response = staff.get("/api/people/search/", params={"q": q, "includeInactive": "true", "limit": 50})
        check(response.json["results"], crowd, q, 50, include_inactive=True)
    inactive = {p.id for p in crowd if not p.is_active}
    everyone = staff.get("/api/people/search/", params={"q": "acme", "limit": 50, "includeInactive": "true"})
    assert inactive & {r["id"] for r in everyone.json["results"]}
    active_only = staff.get("/api/people/search/", params={"q": "acme", "limit": 50})
    assert not inactive & {r["id"] for r in active_only.json["results"]}


def test_limit_defaults_to_20_and_is_capped_at_50(staff, crowd):
    assert len(staff.get("/api/people/search/", params={"q": "acme"}).json["results"]) == 20
    assert len(staff.get("/api/people/search/", params={"q": "acme", "limit": 500}).json["results"]) == 50
    assert staff.get("/api/people/search/", params={"q": "acme", "limit": 0}).status_int == 400
    assert staff.get("/api/people/search/", params={"q": "acme", "limit": "x"}).status_int == 400


def test_short_long_and_trimmed_queries(staff, registry):
    make_person(registry, name="Al Jones", email="al@acme.com")
    for q in ("", "a", " a ", "é"):
        response = staff.get("/api/people/search/", params={"q": q})
        assert response.status_int == 200 and response.json == {"results": []}
    assert [r["name"] for r in staff.get("/api/people/search/", params={"q": "  al  "}).json["results"]] == ["Al Jones"]
    assert staff.get("/api/people/search/", params={"q": "x" * 100}).json == {"results": []}
    too_long = staff.get("/api/people/search/", params={"q": "x" * 101})
    assert too_long.status_int == 400
    assert too_long.json["code"] == "invalid" and too_long.json["errors"]["q"]


def test_like_metacharacters_are_literal(staff, registry):
    for name in ("100% Jones", "Ann_Lee", "Annxlee", "Back\\Slash", "Bob 100 Jones"):
        make_person(registry, name=name, email=None)
    cases = {
        "00%": ["100% Jones"],
        "% j": ["100% Jones"],
        "n_l": ["Ann_Lee"],
        "nn_": ["Ann_Lee"],
        "k\\s": ["Back\\Slash"],
        "%%%": [],
        "___": [],
        '"an': [],
    }
    for q, names in cases.items():
        assert [r["name"] for r in staff.get("/api/people/search/", params={"q": q}).json["results"]] == names, q


def test_non_ascii_is_case_insensitive(staff, registry):
    for name in ("Zoë Ågård", "Łukasz Żak", "José Núñez", "ÉMILE ZOLA"):
        make_person(registry, name=name, email=None)
    cases = {
        "ZOË": ["Zoë Ågård"],
        "ågÅ": ["Zoë Ågård"],
        "łu": ["Łukasz Żak"],
        "ŻAK": ["Łukasz Żak"],
        "josé": ["José Núñez"],
        "ÑEZ": ["José Núñez"],
        "émi": ["ÉMILE ZOLA"],
        "zo": ["Zoë Ågård", "ÉMILE ZOLA"],
    }
    for q, names in cases.items():
        assert [r["name"] for r in staff.get("/api/people/search/", params={"q": q}).json["results"]] == names, q


def test_the_index_follows_create_rename_email_change_and_delete(admin):
    def found(q):
        return [r["id"] for r in admin.get("/api/people/search/", params={"q": q}).json["results"]]

    created = admin.post("/api/people/", {"name": "Quentin Quill", "email": "qq@initech.com"})
    person = created.json["id"]
    assert found("quill") == found("qu") == found("initech") == [person]

    renamed = admin.patch(f"/api/people/{person}/", {"name": "Ragnhild Rask"}, {"If-Match": created.headers["ETag"]})
    assert renamed.status_int == 200
    assert found("quill") == found("qu") == [] and found("ragnhild") == found("ra") == found("ask") == [person]

    moved = admin.patch(f"/api/people/{person}/", {"email": "rr@globex.dk"}, {"If-Match": renamed.headers["ETag"]})
    assert moved.status_int == 200
    assert found("initech") == [] and found("globex") == found("gl") == [person]

    replaced = admin.put(
        f"/api/people/{person}/", {"name": "Øystein Ørn", "email": "oo@globex.dk"}, {"If-Match": moved.headers["ETag"]}
    )
    assert replaced.status_int == 200
    assert found("ØRN") == found("øys") == [person] and found("ragnhild") == found("ra") == []

    assert admin.delete(f"/api/people/{person}/").status_int == 204
    assert found("øys") == found("globex") == found("øy") == []


def test_search_needs_a_signed_in_user(testapp):
    response = testapp.get("/api/people/search/", params={"q": "an"}, status="*")
    assert response.status_int == 401


def test_list_search_filter_uses_the_folded_keys(staff, registry):
    make_person(registry, name="Łukasz Żak", email=None)
    make_person(registry, name="Lukas Berg", email=None)
    response = staff.get("/api/people/", params={"search": "ŁUK"})
    assert [r["name"] for r in response.json["results"]] == ["Łukasz Żak"]


def test_orm_writes_outside_the_api_keep_the_index_too(staff, registry):
    def found(q):
        return [r["id"] for r in staff.get("/api/people/search/", params={"q": q}).json["results"]]

    person = make_person(registry, name="Quentin Quill", email=None)
    _, writer = registry.planner_sessions
    with writer() as session, session.begin():
        session.get(Person, person.id).name = "Ragnhild Rask"
    assert found("quill") == [] and found("ragnh") == found("ra") == [person.id]
    with writer() as session, session.begin():
        session.delete(session.get(Person, person.id))
    assert found("ragnh") == found("ra") == []
