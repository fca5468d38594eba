"""The events feed: the change log (core/changes.py) for scripts, services and the app's live updates."""
