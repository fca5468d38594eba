"""/profile: re-reads the account, so a role change by an admin shows without signing in again."""

from __future__ import annotations

import reflex as rx

from planner_app.planning import long_date
from planner_app.services.api import ApiError
from planner_app.states.auth import AuthState
from planner_app.states.page import PageMixin


class ProfileState(PageMixin, AuthState):
    @rx.event
    async def load(self):
        try:
            async with self.api() as api:
                user = await api.me()
        except ApiError as err:
            yield await self._fail(err)
            return
        auth = await self._auth()
        auth.user = user

    @rx.var
    def initials(self) -> str:
        return (self.user.username[:2] or "?").upper()

    @rx.var
    def joined(self) -> str:
        return long_date(self.user.date_joined)

    @rx.var
    def last_login(self) -> str:
        return long_date(self.user.last_login) or "—"
