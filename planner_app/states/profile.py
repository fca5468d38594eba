"""/profile: re-reads the account, so a role change by an admin shows without signing in again,
and lists the account's sessions (every signed-in browser), each of which can be signed out."""

from __future__ import annotations

import dataclasses

import reflex as rx

from planner_app.devices import device_name
from planner_app.planning import ago, long_date
from planner_app.services.client import ApiClient
from planner_app.services.feed import HIDDEN
from planner_app.services.models import Session, User
from planner_app.states.auth import AuthState, gated
from planner_app.states.calls import Failed
from planner_app.states.page import PageMixin


@dataclasses.dataclass
class SessionRow:
    id: int
    device: str
    ip: str
    signed_in: str
    last_seen: str
    current: bool


def session_rows(sessions: list[Session]) -> list[SessionRow]:
    """The active sessions in words, this browser's first."""
    active = sorted((s for s in sessions if s.is_active), key=lambda s: not s.current)
    return [
        SessionRow(s.id, device_name(s.user_agent), s.ip or "—", long_date(s.issued_at), ago(s.last_used_at), s.current)
        for s in active
    ]


class ProfileState(PageMixin, rx.State):
    # HIDDEN: a change the feed's reader could not read may be one of this account's sessions.
    _live_resources = frozenset({"sessions", "users", HIDDEN})

    sessions: list[SessionRow] = []
    revoke_id: int = 0
    revoke_label: str = ""

    @rx.event
    @gated
    async def load(self):

        async def fetch(api: ApiClient) -> tuple[User, list[Session]]:
            # A profile reload starts this user's cached responses afresh (after a role change, say).
            api.clear_caches()
            user = await api.me()
            return user, await api.sessions()

        fetched = await self._call(fetch)
        if isinstance(fetched, Failed):
            yield fetched.event
            return
        user, sessions = fetched
        auth = await self._auth()
        auth.user = user
        self.sessions = session_rows(sessions)

    @rx.event
    def ask_revoke(self, session_id: int, label: str):
        self.revoke_id, self.revoke_label = session_id, label

    @rx.event
    def cancel_revoke(self):
        self.revoke_id = 0

    @rx.event
    async def confirm_revoke(self):
        session_id, self.revoke_id = self.revoke_id, 0
        self._clear_errors()
        current = any(s.current for s in self.sessions if s.id == session_id)

        async def revoke(api: ApiClient) -> list[Session]:
            await api.revoke_session(session_id)
            return [] if current else await api.sessions()

        sessions = await self._call(revoke)
        if isinstance(sessions, Failed):
            yield sessions.event
            return
        if current:
            # This browser's own session: it signs out here, as with "Sign out" (which clears its cookie).
            yield AuthState.sign_out
            return
        self.sessions = session_rows(sessions)
