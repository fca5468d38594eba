"""Sessions, admin screens and the people typeahead in a real browser (issue 5: C4, C5, C6)."""

import base64
import json
import re

from playwright.sync_api import expect

from tests.e2e.conftest import PASSWORD, pick_person


def _session_id(tab) -> int:
    """The session of a browser, from the `sid` claim of the refresh token in its cookie jar."""
    token = next(c["value"] for c in tab.page.context.cookies() if c["name"] == "planner_refresh")
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["sid"]


def _api_get(tab, path: str, username: str = "admin") -> dict:
    """Read through the API as an outside client would (its own sign-in, not the browser's)."""
    tokens = tab.page.request.post(
        f"{tab.base_url}/api/auth/token/", data={"username": username, "password": PASSWORD}
    ).json()
    resp = tab.page.request.get(f"{tab.base_url}/api{path}", headers={"Authorization": f"Bearer {tokens['access']}"})
    assert resp.ok, resp.text()
    return resp.json()


def test_c4_revoking_another_browser_signs_it_out_at_once(open_tab):
    laptop, phone = open_tab(), open_tab()
    laptop.sign_in("user", path="/people")
    phone.sign_in("user", path="/profile")
    page = phone.page
    sessions = page.get_by_role("table", name="Active sessions")
    this_row = sessions.get_by_role("row").filter(has_text="This device")
    expect(this_row).to_have_count(1)
    expect(this_row).to_contain_text("Chrome on Linux")  # the browser's agent, not the app server's
    expect(this_row).to_contain_text("127.0.0.1")
    expect(this_row).to_contain_text("just now")

    laptop_session = sessions.locator(f'button[data-session="{_session_id(laptop)}"]')
    laptop_session.click()
    page.get_by_role("alertdialog").get_by_role("button", name="Revoke").click()
    expect(laptop_session).to_have_count(0)

    # The laptop does nothing: the revocation reaches its open page at once (live updates).
    expect(laptop.page).to_have_url(re.compile(r"/login\?next=%2Fpeople"))
    expect(laptop.page.get_by_role("status")).to_have_text("You were signed out from another device.")

    # Revoking this browser's own session signs it out here.
    sessions.locator(f'button[data-session="{_session_id(phone)}"]').click()
    page.get_by_role("alertdialog").get_by_role("button", name="Revoke").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    phone.goto("/people")
    expect(page).to_have_url(re.compile(r"/login"))


def test_c5_role_change_and_disabling_take_effect_and_are_audited(open_tab):
    admin, casey = open_tab(), open_tab()
    admin.sign_in("admin", path="/settings")
    page = admin.page
    page.get_by_role("button", name="Add user").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Username").fill("casey")
    dialog.get_by_label("Password").fill("short")
    dialog.get_by_role("button", name="Save").click()
    # The API's password policy, in words under the field.
    expect(dialog.locator("#new-user-password-error")).to_contain_text("at least")
    dialog.get_by_label("Password").fill("casey-password-1")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_have_count(0)
    page.get_by_label("Search users").fill("case")
    users = page.get_by_role("table", name="Users")
    expect(users.get_by_role("row")).to_have_count(2)  # header and casey: searched on the server

    casey.sign_in("casey", password="casey-password-1", path="/people")
    expect(casey.page.get_by_role("button", name="Add person")).to_have_count(0)
    # From here on, signing out and the admin's actions end casey's sessions: her browser's own
    # requests (a grant, a sign-in) may be refused, which Chromium logs as console errors.
    casey.allow_status(401)

    users.get_by_label("Role of casey").select_option("manager")
    audit = page.get_by_role("table", name="Recent admin actions")
    expect(audit.get_by_role("row").nth(1)).to_contain_text("Role user → manager")
    expect(audit.get_by_role("row").nth(1)).to_contain_text("casey")
    casey.page.get_by_role("button", name="Sign out").click()
    # Signed out once the login page shows: the browser's logout call ends the cookie's session; a
    # navigation before it lands would cancel it and the gate would sign the tab straight back in.
    expect(casey.page).to_have_url(re.compile(r"/login"))
    casey.sign_in("casey", password="casey-password-1", path="/people")
    expect(casey.page.get_by_role("button", name="Add person")).to_be_visible()

    # The last admin cannot be demoted: said on that user's row.
    page.get_by_label("Search users").fill("admin")
    users.get_by_label("Role of admin").select_option("user")
    expect(users.get_by_role("alert")).to_contain_text("last active admin")
    expect(users.get_by_label("Role of admin")).to_have_value("admin")

    page.get_by_label("Search users").fill("casey")
    users.get_by_role("switch", name="Active: casey").click()
    expect(users.get_by_text("Disabled")).to_be_visible()
    expect(audit.get_by_role("row").nth(1)).to_contain_text("Disabled the account")

    # Casey's open page goes to sign-in by itself: the disabling reaches it at once.
    expect(casey.page).to_have_url(re.compile(r"/login"))
    expect(casey.page.get_by_role("status")).to_have_text("Your account has been disabled. Ask an admin for help.")
    casey.page.get_by_label("Username").fill("casey")
    casey.page.get_by_label("Password").fill("casey-password-1")
    casey.page.get_by_role("button", name="Sign in").click()
    expect(casey.page.get_by_role("alert")).to_have_text("Your account has been disabled. Ask an admin for help.")


def test_c6_typeahead_picks_a_person_with_the_keyboard_and_saves_their_id(open_tab):
    tab = open_tab()
    tab.sign_in("admin", path="/settings")
    page = tab.page
    page.get_by_role("button", name="Add user").click()
    dialog = page.get_by_role("dialog")
    combobox = dialog.get_by_role("combobox", name="Person")
    listbox = dialog.get_by_role("listbox", name="Person")

    combobox.fill("zzqx")
    expect(dialog.get_by_text("No matches")).to_be_visible()
    combobox.fill("e")
    expect(listbox).to_be_hidden()  # one character is not a search
    combobox.fill("an")
    expect(combobox).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    expect(options.first).to_be_visible()
    assert 0 < options.count() <= 20
    # Esc closes the list and leaves the dialog open.
    combobox.press("Escape")
    expect(listbox).to_be_hidden()
    expect(dialog).to_be_visible()

    # ↓ opens it again on the first option, ↓ moves on, Enter picks.
    combobox.press("ArrowDown")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    combobox.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(combobox).to_have_attribute("aria-activedescendant", options.nth(1).get_attribute("id"))
    name = options.nth(1).locator("span, p").first.inner_text()
    combobox.press("Enter")
    expect(listbox).to_be_hidden()
    expect(dialog).to_be_visible()  # Enter picked; it did not submit the form
    expect(combobox).to_have_value(name)
    person_id = int(dialog.locator('input[type="hidden"][name="person_id"]').input_value())
    assert _api_get(tab, f"/people/{person_id}/")["name"] == name
    dialog.get_by_label("Username").fill("linked")
    dialog.get_by_label("Password").fill("linked-password-1")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_have_count(0)
    (user,) = _api_get(tab, "/auth/users/?search=linked")["results"]
    assert user["personId"] == person_id


def test_admin_screens_at_desktop_and_phone_sizes(open_tab):
    for phone in (False, True):
        tab = open_tab(phone=phone)
        tab.sign_in("admin", path="/profile")
        size = "phone" if phone else "desktop"
        expect(tab.page.get_by_text("This device").filter(visible=True)).to_be_visible()
        tab.assert_no_horizontal_scroll()
        tab.shot(f"{size}-profile-sessions")
        tab.open("/settings")
        expect(tab.page.get_by_label("Role of admin").filter(visible=True)).to_be_visible()
        tab.assert_no_horizontal_scroll()
        tab.shot(f"{size}-settings-users")
        tab.page.get_by_role("button", name="Add user").click()
        tab.page.get_by_role("dialog").get_by_role("combobox", name="Person").fill("an")
        expect(tab.page.get_by_role("listbox", name="Person").get_by_role("option").first).to_be_visible()
        tab.shot(f"{size}-settings-add-user-typeahead")


def test_time_off_form_opens_with_its_person_and_saves_another(open_tab):
    tab = open_tab()
    tab.sign_in("manager", path="/timeoff")
    page = tab.page
    first = page.get_by_role("table", name="Time off").get_by_role("row").nth(1)
    person = first.get_by_role("link").first.inner_text()
    first.get_by_role("button", name=f"Edit time off of {person}").click()
    dialog = page.get_by_role("dialog")
    combobox = dialog.get_by_role("combobox", name="Person")
    expect(combobox).to_have_value(person)
    other = pick_person(combobox, "wen")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_role("table", name="Time off").get_by_role("link", name=other).first).to_be_visible()
