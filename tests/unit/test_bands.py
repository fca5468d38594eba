"""Utilisation bands (API.md): computed by the API only; the app shows the band each row carries."""

import pytest

from backend_api.dashboard.services import band


@pytest.mark.parametrize(
    ("percent", "expected"),
    [
        (0, "underutilized"),
        (69.9, "underutilized"),
        (70, "optimal"),
        (84.9, "optimal"),
        (85, "high"),
        (100, "high"),
        (100.1, "overallocated"),
    ],
)
def test_bands_follow_the_contract(percent, expected):
    assert band(percent) == expected
