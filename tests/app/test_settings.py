"""planner_app/settings.py: the app's environment, read in one place and typed."""

from planner_app.settings import AppSettings


def test_no_api_url_means_the_embedded_api():
    assert AppSettings.from_env({}).embedded
    assert AppSettings.from_env({"PLANNER_API_URL": "  "}).embedded


def test_api_url_and_origins_are_cleaned_once():
    config = AppSettings.from_env(
        {"PLANNER_API_URL": " http://api:6543/api/ ", "CORS_ALLOWED_ORIGINS": "https://a.test/, ,https://b.test"}
    )
    assert not config.embedded and config.api_url == "http://api:6543/api"
    assert config.cors_allowed_origins == ("https://a.test", "https://b.test")
