"""Form data (strings from the browser) → API request bodies (snake_case; the client camelCases them).

Only shaping happens here: a blank optional field becomes null where the API allows null (dates,
numbers, unique fields such as email) and an empty string where it wants text; numbers become
numbers where they parse. Whatever does not parse is passed through as typed, so the API's own
validation message reaches the field.
"""

from __future__ import annotations

from typing import Any


def _text(form: dict, name: str) -> str | None:
    value = str(form.get(name, "")).strip()
    return value or None


def _str(form: dict, name: str) -> str:
    return str(form.get(name, "")).strip()


def _number(form: dict, name: str) -> float | str | None:
    value = _text(form, name)
    if value is None:
        return None
    try:
        return float(value.replace(",", "."))
    except ValueError:
        return value


def _whole(form: dict, name: str) -> int | float | str | None:
    # An integer field refuses 50.0 (the API takes JSON's types as they are), so a whole number
    # typed as "50" or "50.0" goes as 50; "50.5" stays a float for the API to refuse on the field.
    value = _number(form, name)
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _id(form: dict, name: str) -> int | None:
    value = _text(form, name)
    return int(value) if value and value.isdigit() else None


def _checked(form: dict, name: str) -> bool:
    # Browsers leave unchecked boxes out of the form data altogether.
    return str(form.get(name, "")).lower() in ("on", "true", "1")


def person(form: dict) -> dict[str, Any]:
    skills = [s.strip() for s in str(form.get("skills", "")).split(",") if s.strip()]
    body = {
        "name": _str(form, "name"),
        "email": _text(form, "email"),
        "phone": _str(form, "phone"),
        "location": _str(form, "location"),
        "job_title": _str(form, "job_title"),
        "department_id": _id(form, "department_id"),
        "skills": skills,
        "hire_date": _text(form, "hire_date"),
        "notes": _str(form, "notes"),
        "is_active": _checked(form, "is_active"),
    }
    capacity = _number(form, "weekly_capacity")
    if capacity is not None:
        body["weekly_capacity"] = capacity
    return body


def department(form: dict) -> dict[str, Any]:
    return {
        "name": _str(form, "name"),
        "description": _str(form, "description"),
        "parent_id": _id(form, "parent_id"),
        "manager_id": _id(form, "manager_id"),
    }


def project(form: dict) -> dict[str, Any]:
    return {
        "name": _str(form, "name"),
        "project_number": _text(form, "project_number"),
        "client": _str(form, "client") or "Internal",
        "status": _str(form, "status") or "planning",
        "start_date": _text(form, "start_date"),
        "end_date": _text(form, "end_date"),
        "estimated_hours": _number(form, "estimated_hours"),
        "description": _str(form, "description"),
    }


def deliverable(form: dict, project_id: int) -> dict[str, Any]:
    return {
        "project_id": project_id,
        "date": _text(form, "date"),
        "description": _str(form, "description"),
        "percentage": _whole(form, "percentage"),
        "notes": _str(form, "notes"),
    }


def timeoff(form: dict) -> dict[str, Any]:
    return {
        "person_id": _id(form, "person_id"),
        "start_date": _str(form, "start_date"),
        "end_date": _str(form, "end_date"),
        "kind": _str(form, "kind") or "vacation",
        "notes": _str(form, "notes"),
    }
