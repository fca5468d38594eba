"""Pages are added to the app once (planner_app.py, from template.PAGES), not through Reflex's
@rx.page list, which each compile of a process applies again (the "Page … is being redefined"
warnings of every start)."""

from reflex_base.registry import RegistrationContext

from planner_app.pages import assignments, calendar, dashboard, departments, login, people, profile, projects, settings, timeoff  # noqa: F401
from planner_app.template import PAGES

ROUTES = {"/", "/assignments", "/calendar", "/departments", "/login", "/people", "/people/[id]", "/profile",
          "/projects", "/projects/[id]", "/settings", "/timeoff"}


def test_every_page_is_registered_once_and_none_through_rx_page():
    routes = [options["route"] for _, options in PAGES]
    assert sorted(routes) == sorted(ROUTES)
    decorated = {render for render, _ in RegistrationContext.ensure_context().decorated_pages}
    assert not decorated & {render for render, _ in PAGES}
