"""Choices for the select inputs, loaded from the API a page at a time (at most 200 each).

People are too many for a select: they are chosen with the typeahead (components/typeahead.py)."""

from __future__ import annotations

from planner_app.services.client import ApiClient

OPTION_LIMIT = 200

Option = tuple[str, str]


async def department_options(api: ApiClient) -> list[Option]:
    page = await api.departments.list(page_size=OPTION_LIMIT, ordering="name")
    return [(str(d.id), d.name) for d in page.results]


async def project_options(api: ApiClient) -> list[Option]:
    page = await api.projects.list(page_size=OPTION_LIMIT, ordering="name")
    return [(str(p.id), p.name) for p in page.results]
