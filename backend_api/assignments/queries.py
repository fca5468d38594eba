"""Lookups on assignments that other code shares (the list's extras, the dashboard's recent
changes): plain functions of a session, no request, so a feature may use them without its views."""

from backend_api.core.resource import names_by_id
from backend_api.people.models import Person
from backend_api.projects.models import Project


def names_for(db, assignments) -> dict[int, dict]:
    """personName / projectName for a page of assignments, in two queries."""
    people = names_by_id(db, Person, {a.person_id for a in assignments})
    projects = names_by_id(db, Project, {a.project_id for a in assignments})
    return {
        a.id: {"person_name": people.get(a.person_id), "project_name": projects.get(a.project_id)} for a in assignments
    }
