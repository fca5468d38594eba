"""The app's own answers (pages, assets, the embedded /api, the websocket) against other sites:
no framing, no sniffing, no cross-origin reads, no cross-site websocket (planner_app/security.py)."""

import base64
import os
import socket
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import expect

EVIL = "https://evil.example"


@pytest.mark.parametrize("path", ["/", "/projects", "/manifest.webmanifest", "/api/health/"])
def test_every_answer_carries_the_security_headers(app_url, path):
    headers = httpx.get(app_url + path, timeout=30).headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in headers["permissions-policy"]


@pytest.mark.parametrize("path", ["/", "/api/health/", "/api/auth/me/"])
def test_another_origin_is_never_granted_access(app_url, path):
    answer = httpx.get(app_url + path, headers={"Origin": EVIL}, timeout=30)
    # Without Allow-Origin a browser lets no other site read the answer (Reflex's outermost CORS
    # layer still says Allow-Credentials, which means nothing alone).
    assert "access-control-allow-origin" not in answer.headers
    preflight = httpx.options(
        app_url + "/api/auth/token/",
        timeout=30,
        headers={
            "Origin": EVIL,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert "access-control-allow-origin" not in preflight.headers


def _websocket_handshake(app_url: str, origin: str) -> bytes:
    """The status line of a websocket upgrade of Reflex's event socket sent with this Origin."""
    host, port = urlsplit(app_url).hostname, urlsplit(app_url).port
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        f"GET /_event/?EIO=4&transport=websocket HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
        f"Sec-WebSocket-Version: 13\r\nOrigin: {origin}\r\n\r\n"
    )
    with socket.create_connection((host, port), timeout=30) as conn:
        conn.sendall(request.encode())
        return conn.recv(4096).split(b"\r\n", 1)[0]


def test_the_websocket_accepts_its_own_origin_only(app_url):
    own = "{0.scheme}://{0.netloc}".format(urlsplit(app_url))
    assert b" 101 " in _websocket_handshake(app_url, own)
    assert b" 101 " not in _websocket_handshake(app_url, EVIL)


def test_scripts_run_from_this_origin_and_the_build_only(app_url, open_tab):
    policy = httpx.get(app_url + "/login", timeout=30).headers["content-security-policy"]
    assert "script-src 'self'" in policy and "'sha256-" in policy and "'unsafe-inline'" not in policy
    tab = open_tab()
    tab.goto("/login")  # hydrated, so the build's own inline scripts ran under the policy
    expect(tab.page.get_by_role("button", name="Sign in")).to_be_enabled()
    assert not tab.errors
    tab.page.evaluate("""() => {
        const script = document.createElement('script');
        script.textContent = 'window.injected = 1';
        document.body.append(script);
        const box = document.createElement('div');
        box.innerHTML = '<img src="/favicon.ico" onload="window.injected = 2">';
        document.body.append(box);
    }""")
    tab.page.wait_for_timeout(500)  # the image loads (its handler would run) or fails
    assert tab.page.evaluate("window.injected") is None
    assert tab.errors and all("Content Security Policy" in e for e in tab.errors)
    tab.errors.clear()  # the refusals are what this test wants to see
