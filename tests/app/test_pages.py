"""Pages are added to the app once, not through Reflex's @rx.page list, which each compile of a
process applies again (the "Page … is being redefined" warnings of every start)."""

from reflex_base.registry import RegistrationContext

from planner_app.planner_app import app
from planner_app.template import PAGES

ROUTES = {"index", "assignments", "calendar", "departments", "login", "people", "people/[id]", "profile",
          "projects", "projects/[id]", "settings", "timeoff"}


def test_every_page_is_on_the_app_and_none_waits_to_be_added_again():
    assert len(PAGES) == len(ROUTES)
    assert set(app._unevaluated_pages) == ROUTES
    assert RegistrationContext.ensure_context().decorated_pages == []
