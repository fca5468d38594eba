"""Admin-only endpoints: user accounts and the audit log. Thin: parsing here, rules in admin.py."""

from pyramid.view import view_config

from backend_api.core import changes
from backend_api.core.errors import not_found
from backend_api.core.openapi import Operation, describe
from backend_api.core.params import text
from backend_api.core.permissions import Permission
from backend_api.core.resource import Resource, contains_any, json_body_as, no_content, valid_id

from . import admin, services
from .audit import Actor
from .models import AuditLog, User
from .schemas import AuditActor, AuditOut, PasswordRequest, RoleRequest, UserCreate, UserOut, user_out


class UserList(Resource):
    """Only the list of the resource base (pagination, filters, ordering): users are created and
    changed through the admin actions below, never by PATCH."""

    model, out, label = User, UserOut, "User"
    filters = {"role": "role", "isActive": "is_active"}
    ordering = {
        "username": "username",
        "email": "email",
        "role": "role",
        "dateJoined": "date_joined",
        "lastLogin": "last_login",
        "id": "id",
    }
    default_ordering = ("username",)
    extra_params = (text("search", description="Username or email contains this."),)

    def extra_filters(self, values):
        search = (values["search"] or "").strip()
        return [contains_any(search, User.username, User.email)] if search else []


class AuditList(Resource):
    model, out, label = AuditLog, AuditOut, "Audit entry"
    filters = {"action": "action", "actorId": "actor_id", "targetId": "target_id"}
    ordering = {"createdAt": "created_at", "id": "id"}
    default_ordering = ("-createdAt", "-id")  # newest first; id breaks ties within one clock tick

    def extras(self, objs):
        return {o.id: {"actor": AuditActor(id=o.actor_id, username=o.actor_username)} for o in objs}


def _actor(request) -> Actor:
    identity = request.identity
    seen_as = changes.acting_user(request)  # set by the same session check as the identity
    return Actor(
        identity.user_id,
        identity.username,
        identity.session_id,
        request.request_id,
        services.client_ip(request),
        seen_as.name if seen_as else identity.username,
    )


def _user_id(request) -> int:
    try:
        ident = int(request.matchdict["id"])
    except ValueError:
        raise not_found("User") from None
    if not valid_id(ident):  # beyond the id column's range: cannot exist
        raise not_found("User")
    return ident


@view_config(route_name="auth_users", request_method="POST", renderer="json", permission=Permission.ADMIN)
def create_user(request):
    body = json_body_as(request, UserCreate)
    user = admin.create_user(
        request.db, _actor(request), body.username, body.email or "", body.password, body.role, body.person_id
    )
    request.response.status_int = 201
    return user_out(user)


@view_config(route_name="auth_user", request_method="DELETE", permission=Permission.ADMIN)
def delete_user(request):
    admin.delete_user(request.db, _actor(request), _user_id(request))
    return no_content(request)


@view_config(route_name="auth_user_set_password", request_method="POST", permission=Permission.ADMIN)
def set_password(request):
    body = json_body_as(request, PasswordRequest)
    admin.set_password(request.db, _actor(request), _user_id(request), body.password)
    return no_content(request)


@view_config(route_name="auth_user_toggle_active", request_method="POST", renderer="json", permission=Permission.ADMIN)
def toggle_active(request):
    return user_out(admin.toggle_active(request.db, _actor(request), _user_id(request)))


@view_config(route_name="auth_user_change_role", request_method="POST", renderer="json", permission=Permission.ADMIN)
def change_role(request):
    body = json_body_as(request, RoleRequest)
    return user_out(admin.change_role(request.db, _actor(request), _user_id(request), body.role))


def includeme(config):
    config.add_route("auth_users", "/api/auth/users/")
    config.add_route("auth_user", "/api/auth/users/{id}/")
    config.add_route("auth_user_set_password", "/api/auth/users/{id}/set_password/")
    config.add_route("auth_user_toggle_active", "/api/auth/users/{id}/toggle_active/")
    config.add_route("auth_user_change_role", "/api/auth/users/{id}/change_role/")
    config.add_route("auth_audit", "/api/auth/audit/")
    config.scan(__name__)
    config.add_view(
        UserList,
        attr="collection_get",
        route_name="auth_users",
        request_method="GET",
        permission=Permission.ADMIN,
        renderer="json",
    )
    config.add_view(
        AuditList,
        attr="collection_get",
        route_name="auth_audit",
        request_method="GET",
        permission=Permission.ADMIN,
        renderer="json",
    )
    describe(
        config,
        Operation(
            "auth_users",
            "GET",
            "List users; search matches username or email",
            response=UserOut,
            list_of=True,
            params=UserList.list_params(),
            permission=Permission.ADMIN,
        ),
        Operation(
            "auth_users",
            "POST",
            "Create a user (optionally linked to a Person with no login yet)",
            request=UserCreate,
            response=UserOut,
            status=201,
            permission=Permission.ADMIN,
        ),
        Operation(
            "auth_user",
            "DELETE",
            "Delete a user (not yourself, not the last active admin)",
            status=204,
            permission=Permission.ADMIN,
        ),
        Operation(
            "auth_user_set_password",
            "POST",
            "Set a user's password; signs out their other sessions",
            request=PasswordRequest,
            status=204,
            permission=Permission.ADMIN,
        ),
        Operation(
            "auth_user_toggle_active",
            "POST",
            "Enable or disable a user; disabling signs them out",
            response=UserOut,
            permission=Permission.ADMIN,
        ),
        Operation(
            "auth_user_change_role",
            "POST",
            "Change a user's role (isStaff follows: true for admins)",
            request=RoleRequest,
            response=UserOut,
            permission=Permission.ADMIN,
        ),
        Operation(
            "auth_audit",
            "GET",
            "Audit log of admin actions, newest first",
            response=AuditOut,
            list_of=True,
            params=AuditList.list_params(),
            permission=Permission.ADMIN,
        ),
    )
