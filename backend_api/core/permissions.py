"""The permissions a view can require (`permission=` of its view config and its OpenAPI
`x-permission`); which role holds which is the ACL in core/security.py."""

from enum import StrEnum


class Permission(StrEnum):
    VIEW = "view"  # every signed-in user: read the planning data
    SELF = "self"  # every signed-in user: their own account and sessions
    EDIT = "edit"  # managers and admins: write the planning data
    ADMIN = "admin"  # admins: users, roles, the audit log
