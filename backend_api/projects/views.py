from backend_api.core.params import text
from backend_api.core.resource import Resource, contains_any, register

from .models import Project
from .schemas import ProjectIn, ProjectOut


class ProjectsResource(Resource):
    model, schema, out, label = Project, ProjectIn, ProjectOut, "Project"
    filters = {"status": "status", "client": "client", "projectNumber": "project_number"}
    ordering = {
        "name": "name",
        "client": "client",
        "status": "status",
        "startDate": "start_date",
        "endDate": "end_date",
        "projectNumber": "project_number",
        "createdAt": "created_at",
        "updatedAt": "updated_at",
        "id": "id",
    }
    default_ordering = ("name",)
    extra_params = (text("search", description="Name, client or project number contains this."),)
    unique = {"projectNumber": "project_number"}

    def extra_filters(self, values):
        if not values["search"]:
            return []
        return [contains_any(values["search"], Project.name, Project.client, Project.project_number)]


def includeme(config):
    register(config, ProjectsResource, "projects", "project", "projects")
