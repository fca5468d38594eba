"""The session in an HttpOnly cookie, in a real browser (issue 9): no token where a page script
can read it, reload and tabs, sign-out everywhere, CSRF and cross-site refusals."""

import re
import time

from playwright.sync_api import expect

from tests.e2e.conftest import Tab

CHALLENGE = "a" * 43  # any well-formed PKCE challenge


def _jar(tab) -> dict:
    return {c["name"]: c for c in tab.page.context.cookies()}


def _post(tab, path: str, csrf: bool) -> list:
    """POST from the app's own page, as assets/auth.js does, with or without the CSRF header."""
    return tab.page.evaluate(
        """async ([path, csrf, challenge]) => {
            const token = (document.cookie.match(/(?:^|; )planner_csrf=([^;]*)/) || [])[1] || "";
            const response = await fetch(path, {
                method: "POST", credentials: "same-origin",
                headers: {"Content-Type": "application/json", ...(csrf ? {"X-CSRF-Token": token} : {})},
                body: JSON.stringify({challenge}),
            });
            return [response.status, response.status === 204 ? "" : (await response.json()).code || ""];
        }""",
        [path, csrf, CHALLENGE],
    )


def test_no_token_is_readable_by_page_scripts(open_tab):
    tab = open_tab()
    tab.sign_in("user", path="/people")
    refresh = _jar(tab)["planner_refresh"]
    assert refresh["httpOnly"] and refresh["sameSite"] == "Strict" and refresh["path"] == "/api/auth/"
    assert not refresh["secure"]  # COOKIE_SECURE=auto on plain http
    readable = tab.page.evaluate("() => JSON.stringify([document.cookie, {...localStorage}, {...sessionStorage}])")
    assert refresh["value"] not in readable and "planner_refresh" not in readable
    assert "eyJ" not in readable  # no JWT of any kind: the access token stays on the app server
    assert tab.page.evaluate("() => localStorage.getItem('planner_signed_in')") == "1"


def test_a_reload_stays_signed_in(open_tab):
    tab = open_tab()
    tab.sign_in("manager", path="/projects")
    tab.page.reload()
    tab.wait_loaded()
    expect(tab.heading("Projects")).to_be_visible()
    expect(tab.page.get_by_role("table", name="Projects").get_by_role("link").first).to_be_visible()
    # A new visit to another page too (a fresh Reflex state: the grant, not the old state, signs it in).
    tab.page.evaluate("() => sessionStorage.clear()")
    tab.open("/people")
    expect(tab.heading("People")).to_be_visible()


def test_tabs_share_the_sign_in_and_signing_out_in_one_signs_out_the_other(open_tab):
    first = open_tab()
    first.sign_in("user", path="/people")
    second = Tab(first.page.context.new_page(), first.base_url)
    try:
        second.open("/projects")
        expect(second.heading("Projects")).to_be_visible()

        first.page.get_by_role("button", name="Sign out").click()
        expect(first.page.get_by_role("button", name="Sign in")).to_be_visible()
        assert "planner_refresh" not in _jar(first)
        # The other tab goes to sign-in by itself, back to where it was once signed in again.
        expect(second.page.get_by_role("button", name="Sign in")).to_be_visible()
        expect(second.page).to_have_url(re.compile(r"/login\?next=%2Fprojects"))
        assert not second.errors
    finally:
        second.page.close()


def test_refresh_and_logout_without_the_csrf_header_are_403(open_tab):
    tab = open_tab()
    tab.sign_in("user", path="/people")
    tab.allow_status(403)
    assert _post(tab, "/api/auth/token/app/", csrf=False) == [403, "csrf_failed"]
    assert _post(tab, "/api/auth/logout/cookie/", csrf=False) == [403, "csrf_failed"]
    assert _post(tab, "/api/auth/token/app/", csrf=True)[0] == 200  # the same call with it passes
    tab.open("/projects")  # still signed in
    expect(tab.heading("Projects")).to_be_visible()


def test_another_site_cannot_use_the_cookie(open_tab):
    """A page of another site (127.0.0.1 is another site than localhost) posting to the API: the
    browser leaves the SameSite=Strict cookie out, and the API refuses it anyway."""
    tab = open_tab()
    tab.sign_in("user", path="/people")
    other_site = tab.base_url.replace("localhost", "127.0.0.1")
    evil = Tab(tab.page.context.new_page(), other_site)
    evil.allow_status(403)
    try:
        evil.goto("/offline.html")
        with evil.page.expect_response(lambda r: "/api/auth/" in r.url) as answer:
            evil.page.evaluate(
                """(url) => fetch(url, {method: "POST", mode: "no-cors", credentials: "include",
                                        body: JSON.stringify({challenge: "a".repeat(43)})})""",
                f"{tab.base_url}/api/auth/token/app/",
            )
        response = answer.value
        # 403, not the 401 of a request without a cookie: refused as cross-site before the cookie
        # is looked at (tests/api/test_cookie_sign_in.py reads the code; an opaque answer keeps no body).
        assert response.status == 403
        assert "cookie" not in {k.lower() for k in response.request.all_headers()}
        assert not evil.errors
    finally:
        evil.page.close()
    tab.open("/projects")  # nothing happened to the session
    expect(tab.heading("Projects")).to_be_visible()


def _wait_for_scheduled_renewal(page, timeout: float = 30.0) -> None:
    """The app server schedules each renewal a round trip after the previous grant; moving the
    clock on before that moves it past nothing. Polled from here: the page's own timers are fake."""
    deadline = time.monotonic() + timeout
    while page.evaluate("() => window.plannerAuth.renewalDue()") is None:
        assert time.monotonic() < deadline, "no renewal was scheduled"
        time.sleep(0.1)


def test_an_open_page_renews_its_access_token_before_it_expires(open_tab):
    """The page's timer (assets/auth.js) asks for a grant before the 5-minute access token
    expires, and each successful renewal schedules the next one. The page's clock is moved on."""
    tab = open_tab()
    tab.page.clock.install()
    tab.sign_in("user", path="/people")
    for _ in range(2):
        _wait_for_scheduled_renewal(tab.page)
        with tab.page.expect_response(lambda r: r.url.endswith("/api/auth/token/app/")) as grant:
            tab.page.clock.fast_forward("04:30")
        assert grant.value.status == 200
    tab.open("/projects")
    expect(tab.heading("Projects")).to_be_visible()
