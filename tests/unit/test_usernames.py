import pytest

from backend_api.auth.usernames import check_username, username_key
from backend_api.core.errors import ApiError


def test_one_key_for_every_case_and_width():
    assert {username_key(name) for name in ("Admin", "ADMIN", "admin", "ａｄｍｉｎ")} == {"admin"}


def test_a_name_padded_with_spaces_is_refused():
    """The API trims input; the create-user command does not."""
    with pytest.raises(ApiError) as refused:
        check_username(" admin")
    assert "space" in refused.value.errors["username"][0]
