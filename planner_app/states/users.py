"""/settings (admins): user accounts and the audit log of what admins did to them."""

from __future__ import annotations

import dataclasses

import reflex as rx

from planner_app.planning import ago
from planner_app.services.errors import ApiError
from planner_app.services.models import AuditEntry, User
from planner_app.states.auth import AuthState, gated
from planner_app.states.calls import Failed
from planner_app.states.confirm_delete import ConfirmDeleteMixin
from planner_app.states.page import WindowMixin
from planner_app.states.typeahead import choose_person

ROLE_OPTIONS = [("admin", "Admin"), ("manager", "Manager"), ("user", "User")]
AUDIT_ROWS = 10
PERSON_BOX = "new-user-person"

ACTIONS = {
    "create_user": "Created the account",
    "delete_user": "Deleted the account",
    "set_password": "Set a new password",
    "toggle_active": "Changed whether the account is active",
    "change_role": "Changed the role",
}


@dataclasses.dataclass
class AuditRow:
    id: int
    who: str
    what: str
    whom: str
    when: str


def describe_action(entry: AuditEntry) -> str:
    """An audit entry's action in words, with the detail its meta gives ('Role user → manager')."""
    meta = entry.meta
    if entry.action == "change_role" and meta.get("from") and meta.get("to"):
        return f"Role {meta['from']} → {meta['to']}"
    if entry.action == "toggle_active" and "isActive" in meta:
        return "Enabled the account" if meta["isActive"] else "Disabled the account"
    if entry.action == "create_user" and meta.get("role"):
        return f"Created the account ({meta['role']})"
    return ACTIONS.get(entry.action, entry.action.replace("_", " ").capitalize())


def audit_rows(entries: list[AuditEntry], usernames: dict[int, str]) -> list[AuditRow]:
    """Only create and delete record the target's username; other targets are named from
    `usernames` (the users on screen), else by id."""
    rows = []
    for e in entries:
        whom = (
            e.meta.get("username")
            or usernames.get(e.target_id or 0)
            or (f"user #{e.target_id}" if e.target_id else "—")
        )
        rows.append(AuditRow(e.id, e.actor.username, describe_action(e), str(whom), ago(e.created_at)))
    return rows


class UsersState(ConfirmDeleteMixin, WindowMixin, AuthState):
    """/settings: a window of the user accounts (states/page.py WindowMixin) and the audit log."""

    users: list[User] = []
    search: str = ""
    audit: list[AuditRow] = []
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
        if not self.is_admin:
            return  # the page shows non-admins why not; the API would refuse them anyway
        self.loading = True
        yield
        try:
            await self._fill_window(keep=False)
            async with self.api() as api:
                audit = await api.audit(page_size=AUDIT_ROWS)
        except ApiError as err:
            yield await self._fail(err)
            return
        self.audit = audit_rows(audit.results, {u.id: u.username for u in self.users})
        self.loading = False

    @rx.event
    async def set_search(self, text: str):
        self.search = text
        self._restart_window()
        async for update in self.load():
            yield update

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
