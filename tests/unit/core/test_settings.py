import ipaddress

import pytest

from backend_api.core.settings import load_settings, networks


def test_trusted_proxies_are_addresses_and_networks_parsed_once(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", " 127.0.0.1, 10.0.0.0/8 ,fd00::/8,, ")
    trusted = load_settings().trusted_proxies
    assert trusted == (
        ipaddress.ip_network("127.0.0.1/32"),
        ipaddress.ip_network("10.0.0.0/8"),
        ipaddress.ip_network("fd00::/8"),
    )
    assert ipaddress.ip_address("10.200.0.1") in trusted[1]


def test_trusted_proxies_default_to_loopback_and_may_be_none(monkeypatch):
    monkeypatch.delenv("TRUSTED_PROXIES", raising=False)
    assert load_settings().trusted_proxies == networks("127.0.0.1/32, ::1/128")
    monkeypatch.setenv("TRUSTED_PROXIES", "")
    assert load_settings().trusted_proxies == ()


def test_a_trusted_proxy_that_is_no_address_is_refused_at_start():
    with pytest.raises(ValueError, match="TRUSTED_PROXIES"):
        networks("10.0.0.0/8, proxy.local")
