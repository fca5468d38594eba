from sqlalchemy import ColumnElement

from backend_api.core.resource import DATE_RANGE, Resource, date_range_filters, names_by_id, register
from backend_api.projects.models import Project

from .models import Deliverable
from .schemas import DeliverableIn, DeliverableOut


class DeliverablesResource(Resource):
    model, schema, out, label = Deliverable, DeliverableIn, DeliverableOut, "Deliverable"
    filters = {"projectId": "project_id", "isCompleted": "is_completed", "date": "date"}
    ordering = {"date": "date", "createdAt": "created_at", "updatedAt": "updated_at", "id": "id"}
    default_ordering = ("date",)
    extra_params = DATE_RANGE
    foreign = {"projectId": "Project"}

    def extra_filters(self, values) -> list[ColumnElement]:
        # ?from=&to= for the calendar: deliverables due in a date range.
        return date_range_filters(values, Deliverable.date, Deliverable.date)

    def extras(self, objs):
        names = names_by_id(self.db, Project, {o.project_id for o in objs})
        return {o.id: {"project_name": names.get(o.project_id)} for o in objs}


def includeme(config):
    register(config, DeliverablesResource, "deliverables", "deliverable", "deliverables")
