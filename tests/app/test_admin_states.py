"""The sessions and users states driven directly (no browser)."""

import asyncio

from planner_app.services.client import ApiClient, Credentials
from planner_app.states.auth import AuthState
from planner_app.states.profile import ProfileState
from planner_app.states.users import UsersState
from tests.app.conftest import drain, sign_in_tab
from tests.app.test_states import substate
from tests.factories import make_user


def _signed_in(root_state, registry, role: str):
    user = make_user(registry, role)
    auth = substate(root_state, AuthState)
    sign_in_tab(auth, user.username)
    return user


def test_profile_lists_sessions_and_revoking_this_one_signs_out(embedded_api, registry, root_state):
    _signed_in(root_state, registry, "user")
    profile = substate(root_state, ProfileState)
    asyncio.run(drain(profile.load()))
    (row,) = profile.sessions
    assert row.current
    profile.ask_revoke(row.id, row.device)
    events = asyncio.run(drain(profile.confirm_revoke()))
    assert events[-1].fn.__name__ == "sign_out"  # as the Sign out button: the browser's cookie goes too


def test_a_refused_role_change_is_said_on_that_users_row(embedded_api, registry, root_state):
    admin = _signed_in(root_state, registry, "admin")
    users = substate(root_state, UsersState)
    asyncio.run(drain(users.set_filter("search", admin.username)))
    (me,) = users.users

    # Make this admin the only active one, then try to demote them.
    async def disable_other_admins():
        auth = substate(root_state, AuthState)
        async with ApiClient(Credentials(auth._access)) as api:
            for other in (await api.users.list(role="admin", is_active=True)).results:
                if other.id != me.id:
                    await api.toggle_active(other.id)

    asyncio.run(disable_other_admins())
    asyncio.run(drain(users.change_role(me.id, "user")))
    assert "last active admin" in users.row_errors[str(me.id)]
    assert users.users[0].role == "admin" and users.error == ""
