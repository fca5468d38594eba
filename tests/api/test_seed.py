"""The demo data: realistic, idempotent, and with the plain ASCII addresses real companies use."""

from sqlalchemy import func, select

from backend_api.people.models import Person
from backend_api.seed import seed


def _session(wsgi_app):
    reader, writer = wsgi_app.registry.planner_sessions
    return writer()


def test_demo_addresses_are_ascii_and_a_second_run_adds_nothing(wsgi_app):
    with _session(wsgi_app) as db:
        first = seed(db, people=30)
        db.commit()
        emails = db.scalars(select(Person.email)).all()
        assert first["people"] == 30 and len(set(emails)) == 30
        assert all(email.isascii() for email in emails), [e for e in emails if not e.isascii()]
        assert "lukasz.andersen26@planner.example" in emails  # "Łukasz Andersen": accents dropped, Ł mapped
        assert seed(db, people=30)["people"] == 0


def test_a_database_seeded_with_accented_addresses_is_renamed_not_duplicated(wsgi_app):
    with _session(wsgi_app) as db:
        seed(db, people=30)
        person = db.scalar(select(Person).where(Person.email == "chloe.obrien2@planner.example"))
        person.email = "chloé.obrien2@planner.example"  # as seeded before
        db.commit()
        assert seed(db, people=30)["people"] == 0
        db.commit()
        assert db.scalar(select(func.count()).select_from(Person)) == 30
        assert db.scalar(select(Person.email).where(Person.id == person.id)) == "chloe.obrien2@planner.example"
