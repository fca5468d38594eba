"""planner_app/settings.py: the app's environment, read in one place and typed."""

from reflex.config import get_config
from reflex.constants import StateManagerMode

from planner_app.settings import AppSettings, settings


def test_no_api_url_means_the_embedded_api():
    assert AppSettings.from_env({}).embedded
    assert AppSettings.from_env({"PLANNER_API_URL": "  "}).embedded


def test_api_url_and_origins_are_cleaned_once():
    config = AppSettings.from_env(
        {"PLANNER_API_URL": " http://api:6543/api/ ", "CORS_ALLOWED_ORIGINS": "https://a.test/, ,https://b.test"}
    )
    assert not config.embedded and config.api_url == "http://api:6543/api"
    assert config.cors_allowed_origins == ("https://a.test", "https://b.test")


def test_tabs_keep_their_state_in_memory_unless_reflex_has_redis():
    assert AppSettings.from_env({}).tab_state == StateManagerMode.MEMORY
    assert AppSettings.from_env({"REFLEX_REDIS_URL": " "}).tab_state == StateManagerMode.MEMORY
    assert AppSettings.from_env({"REFLEX_REDIS_URL": "redis://cache:6379/1"}).tab_state == StateManagerMode.REDIS


def test_the_running_app_keeps_no_tab_state_on_disk():
    # rxconfig.py chooses with AppSettings.tab_state; Reflex's own default would be disk.
    assert get_config().state_manager_mode == settings().tab_state != StateManagerMode.DISK
