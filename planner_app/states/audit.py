"""/settings (admins): the audit log of what admins did to user accounts, newest first."""

from __future__ import annotations

import dataclasses

import reflex as rx

from planner_app.planning import ago
from planner_app.services.models import AuditEntry
from planner_app.states.calls import Failed
from planner_app.states.page import PageMixin

AUDIT_ROWS = 10

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


class AuditState(PageMixin, rx.State):
    """The latest AUDIT_ROWS entries; states/users.py reads them again after each change."""

    audit: list[AuditRow] = []

    async def refresh(self, usernames: dict[int, str]):
        """Read the log; returns the follow-up event of a failure (sign in again) or None."""
        self._clear_errors()
        read = await self._call(lambda api: api.audit(page_size=AUDIT_ROWS))
        if isinstance(read, Failed):
            return read.event
        self.audit = audit_rows(read.results, usernames)
        return None
