"""Every page at 320, 390, 768 and 1280 px: axe-core (WCAG 2.2 A/AA) finds nothing, nothing scrolls
sideways, no input is under 16 px (iOS zooms into those), and on phones nothing to tap is under
44 × 44 px. Then the phone navigation: the bottom tab bar, the menu as a real modal, the skip link
and focus on the heading after each navigation."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, ROOT

AXE = ROOT / "tools/axe/node_modules/axe-core/axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = {
    320: {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2},
    390: {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2},
    768: {"viewport": {"width": 768, "height": 1024}, "has_touch": True},
    1280: {"viewport": {"width": 1280, "height": 800}},
}
PHONE_WIDTHS = (320, 390)
MIN_TARGET = 44
MIN_INPUT_FONT = 16
PAGES = [
    "/",
    "/people",
    "/people/*",
    "/departments",
    "/projects",
    "/projects/*",
    "/assignments",
    "/calendar",
    "/timeoff",
    "/profile",
    "/settings",
]

# What a person can tap or focus, as the page has it on screen. A checkbox or radio inside a label
# is tapped through the label, which is then the target; a link inside running text is exempt
# (WCAG 2.5.5 "inline"). Off-screen things (the skip link before it is focused, sr-only text) are not
# on screen to tap.
SMALL_TARGETS = """(min) => {
    const selector = 'a[href], button, input:not([type=hidden]), select, textarea, [role=button], [role=checkbox],'
        + ' [role=switch], [role=tab], [role=combobox], [role=option], [tabindex]:not([tabindex="-1"])';
    const small = [];
    for (const el of document.querySelectorAll(selector)) {
        if (el.closest('[aria-hidden=true], [inert], .sr-only')) continue;
        const style = getComputedStyle(el);
        if (style.visibility === 'hidden' || style.display === 'none') continue;
        let target = el;
        if (el.matches('input[type=checkbox], input[type=radio]') && el.closest('label')) target = el.closest('label');
        // A text field's frame is the target: tapping its padding focuses the input.
        if (el.matches('input, textarea') && el.closest('.rt-TextFieldRoot, .rt-TextAreaRoot')) target = el.closest('.rt-TextFieldRoot, .rt-TextAreaRoot');
        if (el.matches('a') && el.closest('p')) continue;
        const r = target.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        if (r.bottom + scrollY <= 0 || r.right + scrollX <= 0) continue;
        if (r.width < min - 0.5 || r.height < min - 0.5) {
            const name = (el.getAttribute('aria-label') || el.innerText || el.id || el.name || '').trim().slice(0, 40);
            small.push(`${el.tagName.toLowerCase()} "${name}" ${Math.round(r.width)}x${Math.round(r.height)}`);
        }
    }
    return small;
}"""
SMALL_INPUT_TEXT = """(min) => [...document.querySelectorAll('input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select, textarea')]
    .filter(el => el.getBoundingClientRect().width > 0 && parseFloat(getComputedStyle(el).fontSize) < min)
    .map(el => `${el.tagName.toLowerCase()}#${el.id || el.name} ${getComputedStyle(el).fontSize}`)"""
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
RUN_AXE = """(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})
    .then(r => r.violations.map(v => `${v.id}: ${v.nodes.length} × ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`))"""


def _detail_path(page, list_path: str) -> str:
    """The first item's page: /people/* → /people/12 as linked from the list."""
    return page.locator(f"main a[href^='{list_path}/']:not([href*='#'])").first.get_attribute("href")


# Radix dialogs grow in from 96 %: measured mid-animation, a 44 px field is 43 px.
SETTLED = (
    """() => Promise.all(document.querySelector('[role=dialog]').getAnimations({subtree: true}).map(a => a.finished))"""
)


def _open_dialog(page) -> None:
    expect(page.get_by_role("dialog")).to_be_visible()
    page.evaluate(SETTLED)


def _check(page, width: int) -> list[str]:
    problems = []
    problems += [f"axe {v}" for v in page.evaluate(RUN_AXE, WCAG_TAGS)]
    if (overflow := page.evaluate(SIDEWAYS)) > 0:
        problems.append(f"scrolls sideways by {overflow} px")
    problems += [f"input text under 16 px: {i}" for i in page.evaluate(SMALL_INPUT_TEXT, MIN_INPUT_FONT)]
    if width in PHONE_WIDTHS:
        problems += [f"target under 44 px: {t}" for t in page.evaluate(SMALL_TARGETS, MIN_TARGET)]
    return problems


@pytest.fixture(scope="module")
def axe_script():
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make test` (it installs tools/axe)")
    return AXE


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_page_passes_axe_targets_font_and_width(open_tab, axe_script, width):
    tab = open_tab(device=WIDTHS[width])
    page = tab.page
    # In every page before its own scripts, from outside the page: the app's CSP (rightly) refuses
    # the inline <script> that add_script_tag would insert.
    page.add_init_script(path=str(axe_script))
    tab.goto("/login")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    report = {"/login": _check(page, width)}
    tab.sign_in("admin")
    for path in PAGES:
        if path.endswith("/*"):
            tab.open(path[:-2])
            path = _detail_path(page, path[:-2])
        tab.open(path)
        report[path] = _check(page, width)
        tab.shot(f"a11y-{width}{path.replace('/', '-') if path != '/' else '-dashboard'}")
        if path == "/projects":
            # A project's details sheet over the list.
            page.get_by_role("link", name=re.compile(r"^View details of ")).filter(visible=True).first.click()
            _open_dialog(page)
            report["/projects (details sheet)"] = _check(page, width)
            page.keyboard.press("Escape")
            expect(page.get_by_role("dialog")).to_have_count(0)
            expect(page).to_have_url(re.compile(r"#all$"))  # back on the list's own entry
        if path == "/people" and width in PHONE_WIDTHS:
            # A form dialog on a phone: its fields, Cancel and Save.
            page.get_by_role("button", name="Add person").click()
            _open_dialog(page)
            report["/people (Add person dialog)"] = _check(page, width)
            page.keyboard.press("Escape")
            expect(page.get_by_role("dialog")).to_have_count(0)
    failures = {path: problems for path, problems in report.items() if problems}
    assert not failures, "\n".join(f"{path}:\n  " + "\n  ".join(problems) for path, problems in failures.items())


def _phone(open_tab):
    tab = open_tab(phone=True)
    tab.sign_in("admin")
    return tab


def test_phone_bottom_tabs_reach_the_five_key_places_and_mark_the_current_one(open_tab):
    tab = _phone(open_tab)
    page = tab.page
    tabs = page.get_by_role("navigation", name="Tabs")
    expect(tabs).to_be_visible()
    assert [link.inner_text().strip() for link in tabs.get_by_role("link").all()] == [
        "Dashboard",
        "Projects",
        "Assignments",
        "Calendar",
        "Profile",
    ]
    for name, heading, url in (
        ("Projects", "Projects", r"/projects/?$"),
        ("Calendar", "Calendar", r"/calendar/?$"),
        ("Dashboard", "Dashboard", r"/$"),
    ):
        link = tabs.get_by_role("link", name=name)
        link.click()
        expect(page).to_have_url(re.compile(url))
        expect(tab.heading(heading)).to_be_visible()
        expect(link).to_have_attribute("aria-current", "page")
        assert tabs.locator("[aria-current=page]").count() == 1
        box = link.bounding_box()
        assert box["height"] >= 48 and box["width"] >= 48, box
        # Always on screen: pinned to the bottom of the viewport, and nothing of the page hides under it.
        assert abs(tabs.bounding_box()["y"] + tabs.bounding_box()["height"] - 844) < 1
    tab.open("/timeoff")
    page.mouse.wheel(0, 20000)
    expect(tabs).to_be_in_viewport()
    # At the end of the page its last control sits above the bar, not under it.
    last = page.locator("main").locator("a[href], button").last
    assert last.bounding_box()["y"] + last.bounding_box()["height"] <= tabs.bounding_box()["y"] + 0.5
    page.screenshot(path=str(ARTIFACTS / "phone-tab-bar.png"))
    # Wide screens have the sidebar instead.
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(tabs).to_be_hidden()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()


def test_phone_menu_is_a_modal_that_traps_focus_and_gives_it_back(open_tab):
    tab = _phone(open_tab)
    page = tab.page
    button = page.get_by_role("button", name="Open menu")
    box = button.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44, box
    button.click()
    menu = page.get_by_role("dialog")
    expect(menu).to_be_visible()
    # Focus moved into the menu, and Tab / Shift+Tab never leave it.
    assert page.evaluate("() => document.querySelector('[role=dialog]').contains(document.activeElement)")
    for key in ["Tab"] * 14 + ["Shift+Tab"] * 16:
        page.keyboard.press(key)
        assert page.evaluate("() => document.querySelector('[role=dialog]').contains(document.activeElement)"), key
    # The page behind is out of reach of assistive technology and the pointer.
    assert page.evaluate("() => document.querySelector('main').closest('[aria-hidden=true], [inert]') !== null")
    tab.shot("phone-menu")
    page.keyboard.press("Escape")
    expect(menu).to_have_count(0)
    expect(button).to_be_focused()
    button.click()
    page.get_by_role("dialog").get_by_role("button", name="Close menu").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(button).to_be_focused()


def test_menu_navigation_and_tabs_move_focus_to_the_page_heading(open_tab):
    tab = _phone(open_tab)
    page = tab.page
    page.get_by_role("button", name="Open menu").click()
    page.get_by_role("dialog").get_by_role("link", name="People").click()
    expect(tab.heading("People")).to_be_focused()
    page.get_by_role("navigation", name="Tabs").get_by_role("link", name="Projects").click()
    expect(tab.heading("Projects")).to_be_focused()
    page.go_back()
    expect(tab.heading("People")).to_be_focused()


def test_skip_link_is_the_first_stop_and_jumps_to_the_page(open_tab):
    tab = open_tab()
    tab.sign_in("admin", path="/people")
    page = tab.page
    tab.open("/people")  # a fresh load: Tab starts from the top of the document
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    # The next stop is inside the page, past the sidebar.
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")


def test_an_internationalised_email_is_saved_from_the_person_form(open_tab):
    tab = open_tab(phone=True)
    tab.sign_in("manager", path="/people")
    page = tab.page
    page.get_by_role("button", name="Add person").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name").fill("Zoë Ågård")
    email = dialog.get_by_label("Email")
    expect(email).to_have_attribute("inputmode", "email")
    email.fill("zoë.ågård@planner.example")
    dialog.get_by_label("Phone").fill("+45 12 34 56 78")
    expect(dialog.get_by_label("Phone")).to_have_attribute("type", "tel")
    expect(dialog.get_by_label("Weekly capacity")).to_have_attribute("inputmode", "decimal")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_have_count(0)
    page.get_by_label("Search").fill("Ågård")
    page.get_by_role("link", name="Zoë Ågård").filter(visible=True).first.click()
    tab.wait_loaded()
    expect(page.get_by_text("zoë.ågård@planner.example")).to_be_visible()

    # What the API refuses is said on the field, and the form keeps what was typed.
    page.get_by_role("button", name="Edit").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Email").fill("not an address")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_label("Email")).to_have_attribute("aria-invalid", "true")
    expect(dialog.locator("#person-edit-email-error")).not_to_be_empty()
    expect(dialog.get_by_label("Email")).to_have_value("not an address")


def test_login_username_is_not_capitalised_or_corrected(open_tab):
    tab = open_tab(phone=True)
    tab.goto("/login")
    username = tab.page.get_by_label("Username")
    expect(username).to_have_attribute("autocapitalize", "none")
    expect(username).to_have_attribute("autocorrect", "off")
    expect(username).to_have_attribute("spellcheck", "false")
