"""/departments."""

from __future__ import annotations

import asyncio

import reflex as rx

from planner_app.services.client import ApiClient, Resource
from planner_app.services.models import Department, Page, Person
from planner_app.states import payloads
from planner_app.states.auth import gated
from planner_app.states.calls import Failed
from planner_app.states.options import department_options
from planner_app.states.page import PAGE_SIZE, CrudMixin
from planner_app.states.typeahead import choose_person

MANAGER_BOX = "department-manager"

# The form's fields and their labels, in the form's order (the page and the conflict review use them).
DEPARTMENT_FIELDS = {"name": "Name", "parent_id": "Part of", "manager_id": "Manager", "description": "Description"}


class DepartmentsState(CrudMixin, rx.State):
    _live_resources = frozenset({"departments", "people"})

    departments: list[Department] = []
    parent_options: list[tuple[str, str]] = []
    # Names of the managers of the departments on this page, by person id.
    manager_names: dict[str, str] = {}
    draft: Department = Department()

    def _form_resource(self, api: ApiClient) -> Resource:
        return api.departments

    def _payload(self, form: dict) -> dict:
        return payloads.department(form)

    def _blank(self) -> Department:
        return Department()

    def _show_item(self, item: Department) -> None:
        self.draft = item

    def _form_labels(self) -> dict[str, str]:
        return DEPARTMENT_FIELDS

    def _form_choices(self) -> dict[str, dict[str, str]]:
        return {"parent_id": dict(self.parent_options), "manager_id": self.manager_names}

    async def _prepare_dialog(self) -> None:
        manager = self.draft.manager_id
        await choose_person(self, MANAGER_BOX, manager, self.manager_names.get(str(manager), ""))

    @rx.event
    @gated
    async def load(self):
        self.loading = True
        yield

        async def fetch(api: ApiClient) -> tuple[Page[Department], list[Person]]:
            result = await api.departments.list(page=self.page, page_size=PAGE_SIZE, ordering="name")
            self.parent_options = await department_options(api)
            manager_ids = sorted({d.manager_id for d in result.results if d.manager_id})
            return result, await asyncio.gather(*[api.people.get(pid) for pid in manager_ids])

        fetched = await self._call(fetch)
        if isinstance(fetched, Failed):
            yield fetched.event
            return
        result, managers = fetched
        self.manager_names = {str(p.id): p.name for p in managers}
        self.departments, self.count, self.loading = result.results, result.count, False

    @rx.var
    def parent_names(self) -> dict[str, str]:
        return dict(self.parent_options)
