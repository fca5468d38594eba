import unicodedata
from datetime import date

from sqlalchemy import JSON, Column, ForeignKey, Integer, Text, event
from sqlmodel import Field

from backend_api.core.model import Editable


class Person(Editable, table=True):
    __tablename__ = "people"

    name: str = Field(max_length=200, nullable=False)
    email: str | None = Field(default=None, max_length=254, unique=True)
    phone: str = Field(default="", max_length=50)
    location: str = Field(default="", max_length=200)
    job_title: str = Field(default="", max_length=200)
    department_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer,
            ForeignKey("departments.id", ondelete="SET NULL", use_alter=True, name="fk_people_department_id"),
            index=True,
        ),
    )
    skills: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    weekly_capacity: float = Field(default=36, nullable=False)
    hire_date: date | None = None
    notes: str = Field(default="")
    is_active: bool = Field(default=True, nullable=False)
    # Folded copies of name and email that the search indexes are built on (people/search.py).
    # Folded in Python, not SQL: SQLite's lower() is ASCII-only and PostgreSQL's depends on the
    # server locale, so only Python gives the same key for "Łukasz" on both engines.
    name_key: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    email_key: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


def fold(text: str) -> str:
    """The case-insensitive form of text: NFKC (one spelling of "é"), then Unicode case folding."""
    return unicodedata.normalize("NFKC", text).casefold()


def search_keys(name: str, email: str | None) -> dict[str, str]:
    """The key columns for a name and email. Every write of name or email sets them through this
    function: ORM writes by the listener below, the API's UPDATE statements in PeopleResource."""
    return {"name_key": fold(name or ""), "email_key": fold(email or "")}


@event.listens_for(Person, "before_insert")
@event.listens_for(Person, "before_update")
def _set_search_keys(_mapper, _connection, person: Person) -> None:
    for column, value in search_keys(person.name, person.email).items():
        setattr(person, column, value)
