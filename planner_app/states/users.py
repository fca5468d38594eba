"""/settings (admins): the user accounts, each of which can be changed; the audit log of what
admins did to them is states/audit.py's, read again after every change."""

from __future__ import annotations

import reflex as rx

from planner_app.services.errors import ApiError
from planner_app.services.models import User
from planner_app.states.audit import AuditState
from planner_app.states.auth import gated
from planner_app.states.calls import Failed
from planner_app.states.confirm_delete import ConfirmDeleteMixin
from planner_app.states.filters import FilterMixin
from planner_app.states.page import WindowMixin
from planner_app.states.typeahead import choose_person

ROLE_OPTIONS = [("admin", "Admin"), ("manager", "Manager"), ("user", "User")]
PERSON_BOX = "new-user-person"


class UsersState(ConfirmDeleteMixin, WindowMixin, FilterMixin, rx.State):
    """/settings: a window of the user accounts (states/page.py WindowMixin), searchable."""

    _live_resources = frozenset({"users"})

    _filters = ("search",)
    users: list[User] = []
    search: str = ""
    # A refused change (e.g. demoting the last admin) in words, under that user's row; by user id.
    row_errors: dict[str, str] = {}

    create_open: bool = False
    saving: bool = False
    password_id: int = 0
    password_username: str = ""

    _window_var = "users"
    _noun = ("user", "users")

    async def _fetch_page(self, page: int, size: int) -> tuple[list, int]:
        async with self.api() as api:
            result = await api.users.list(page=page + 1, page_size=size, search=self.search.strip())
        return result.results, result.count

    @rx.event
    @gated
    async def load(self):
        if not (await self._auth()).is_admin:
            return  # the page shows non-admins why not; the API would refuse them anyway
        self.loading = True
        yield
        try:
            await self._fill_window(keep=False)
        except ApiError as err:
            yield await self._fail(err)
            return
        self.loading = False
        # What was just done shows in the log; its targets are named from the users on screen.
        audit = await self.get_state(AuditState)
        yield await audit.refresh({u.id: u.username for u in self.users})

    async def _act(self, user_id: int, call):
        """One account action; a refusal is said under that user's row, then the list reloads."""
        self._clear_errors()
        self.row_errors = {}
        try:
            async with self.api() as api:
                await call(api)
        except ApiError as err:
            if err.ends_session:
                yield await self._fail(err)
                return
            self.row_errors = {str(user_id): err.message}
        async for update in self.load():
            yield update

    @rx.event
    async def change_role(self, user_id: int, role: str):
        async for update in self._act(user_id, lambda api: api.change_role(user_id, role)):
            yield update

    @rx.event
    async def toggle_active(self, user_id: int):
        async for update in self._act(user_id, lambda api: api.toggle_active(user_id)):
            yield update

    # --- create -----------------------------------------------------------------------------

    @rx.event
    async def open_create(self):
        self._clear_errors()
        await choose_person(self, PERSON_BOX)
        self.create_open = True

    @rx.event
    def set_create_open(self, is_open: bool):
        self.create_open = is_open

    @rx.event
    async def create_user(self, form: dict):
        person = str(form.get("person_id", "")).strip()
        body = {
            "username": str(form.get("username", "")).strip(),
            "email": str(form.get("email", "")).strip() or None,
            # Exactly as typed: spaces are allowed in a password.
            "password": str(form.get("password", "")),
            "role": str(form.get("role", "user")),
            "person_id": int(person) if person.isdigit() else None,
        }
        self.saving = True
        self._clear_errors()
        yield
        done = await self._call(lambda api: api.users.create(body), busy="saving")
        if isinstance(done, Failed):
            yield done.event
            return
        self.saving, self.create_open = False, False
        async for update in self.load():
            yield update

    # --- set password -----------------------------------------------------------------------

    @rx.event
    def open_password(self, user_id: int, username: str):
        self._clear_errors()
        self.password_id, self.password_username = user_id, username

    @rx.event
    def password_open_change(self, is_open: bool):
        if not is_open:
            self.password_id = 0

    @rx.event
    async def set_password(self, form: dict):
        self.saving = True
        self._clear_errors()
        yield
        done = await self._call(
            lambda api: api.set_password(self.password_id, str(form.get("password", ""))), busy="saving"
        )
        if isinstance(done, Failed):
            yield done.event
            return
        self.saving, self.password_id = False, 0
        async for update in self.load():
            yield update

    # --- delete -----------------------------------------------------------------------------

    async def _delete(self, user_id: int):
        async for update in self._act(user_id, lambda api: api.users.delete(user_id)):
            yield update
