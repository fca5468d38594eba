"""Every route of the API, in one place. Paths end with `/`, as API.md says."""


def includeme(config):
    add = config.add_route
    add("health", "/api/health/")
    add("health_ready", "/api/health/ready/")
    add("openapi", "/api/openapi.json")

    add("auth_token", "/api/auth/token/")
    add("auth_refresh", "/api/auth/token/refresh/")
    add("auth_logout", "/api/auth/logout/")
    add("auth_me", "/api/auth/me/")
    add("auth_sessions", "/api/auth/sessions/")
    add("auth_sessions_revoke", "/api/auth/sessions/revoke/")
    add("auth_users", "/api/auth/users/")
    add("auth_user", "/api/auth/users/{id}/")
    add("auth_user_set_password", "/api/auth/users/{id}/set_password/")
    add("auth_user_toggle_active", "/api/auth/users/{id}/toggle_active/")
    add("auth_user_change_role", "/api/auth/users/{id}/change_role/")
    add("auth_audit", "/api/auth/audit/")

    add("people_search", "/api/people/search/")
    for collection, item, path in [
        ("people", "person", "people"),
        ("departments", "department", "departments"),
        ("projects", "project", "projects"),
        ("assignments", "assignment", "assignments"),
        ("deliverables", "deliverable", "deliverables"),
        ("timeoff", "timeoff_item", "timeoff"),
    ]:
        add(collection, f"/api/{path}/")
        add(item, f"/api/{path}/{{id}}/")

    add("dashboard", "/api/dashboard/")
