"""Presence: which signed-in users have which item open, per browser tab, kept alive by the tab's
heartbeat; its changes are change events of resource "presence", so other tabs hear of them."""
