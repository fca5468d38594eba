"""Who changed what and when (issue 12): a detail page's History section, and the conflict banner
naming who saved first, on a phone and on the desktop."""

import itertools
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_conflicts import Api

_seq = itertools.count(1)


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_the_person_page_shows_who_changed_what(open_tab, phone):
    tab = open_tab(phone=phone)
    tab.sign_in("manager", path="/people")
    api = Api(tab, "admin")
    person = api.create("/people/", {"name": f"History Person {next(_seq)}", "weeklyCapacity": 36})
    try:
        api.patch(f"/people/{person['id']}/", {"weeklyCapacity": 32, "jobTitle": "Structural engineer"})
        tab.open(f"/people/{person['id']}")
        history = tab.page.locator("#history")
        expect(history.get_by_role("heading", name="History")).to_be_visible()
        lines = history.locator(".history-line")
        expect(lines).to_have_count(2)
        expect(lines.first).to_contain_text("admin changed")
        expect(lines.first).to_contain_text("Weekly capacity 36 → 32")
        expect(lines.first).to_contain_text("Job title — → Structural engineer")
        expect(lines.first.locator("time")).to_have_text("just now")
        expect(lines.nth(1)).to_contain_text("admin created this")
        history.scroll_into_view_if_needed()
        tab.shot(f"{'phone' if phone else 'desktop'}-person-history")
        tab.assert_no_horizontal_scroll()

        # The manager edits while the admin saves: the banner names the admin.
        tab.page.get_by_role("button", name="Edit", exact=True).click()
        dialog = tab.page.get_by_role("dialog")
        api.patch(f"/people/{person['id']}/", {"phone": "555 0101"})
        dialog.get_by_label("Location", exact=True).fill("Lisbon")
        dialog.get_by_role("button", name="Save").click()
        banner = dialog.locator(".conflict-banner")
        expect(banner.locator(".conflict-text")).to_have_text(
            re.compile(r"^admin updated this item (just now|1 minute ago)\. Reload latest\.$")
        )
        tab.shot(f"{'phone' if phone else 'desktop'}-conflict-names-admin")
        banner.get_by_role("button", name="Review changes").click()
        banner.get_by_role("button", name="Keep my changes").click()
        expect(dialog).to_have_count(0)
        expect(lines.first).to_contain_text("manager changed")
        expect(lines.first).to_contain_text("Location — → Lisbon")
    finally:
        api.delete(f"/people/{person['id']}/")
