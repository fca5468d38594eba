"""Pages are added to the app once (planner_app.py, from template.PAGES), not through Reflex's
@rx.page list, which each compile of a process applies again (the "Page … is being redefined"
warnings of every start)."""

import importlib
import pkgutil

from reflex_base.registry import RegistrationContext

from planner_app import pages
from planner_app.template import PAGES

# Each page module registers its page when imported (what planner_app.py does, without building
# the app and its embedded API).
for module in pkgutil.iter_modules(pages.__path__):
    importlib.import_module(f"planner_app.pages.{module.name}")

ROUTES = {
    "/",
    "/assignments",
    "/calendar",
    "/departments",
    "/login",
    "/people",
    "/people/[id]",
    "/profile",
    "/projects",
    "/projects/[id]",
    "/settings",
    "/timeoff",
}


def test_every_page_is_registered_once_and_none_through_rx_page():
    routes = [options["route"] for _, options in PAGES]
    assert sorted(routes) == sorted(ROUTES)
    decorated = {render for render, _ in RegistrationContext.ensure_context().decorated_pages}
    assert not decorated & {render for render, _ in PAGES}
