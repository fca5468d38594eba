"""Running the app in its production shapes (scaled.py: the scale-out topology)."""
