from sqlalchemy import ColumnElement

from backend_api.core.resource import DATE_RANGE, Resource, date_range_filters, register

from .models import Deliverable
from .schemas import DeliverableIn, DeliverableOut


class DeliverablesResource(Resource):
    model, schema, out, label = Deliverable, DeliverableIn, DeliverableOut, "Deliverable"
    filters = {"projectId": "project_id", "isCompleted": "is_completed", "date": "date"}
    ordering = {"date": "date", "createdAt": "created_at", "updatedAt": "updated_at", "id": "id"}
    default_ordering = ("date",)
    extra_params = DATE_RANGE
    foreign = {"projectId": "Project"}
    names = {"project_name": "project_id"}

    def extra_filters(self, values) -> list[ColumnElement]:
        # ?from=&to= for the calendar: deliverables due in a date range.
        return date_range_filters(values, Deliverable.date, Deliverable.date)


def includeme(config):
    register(config, DeliverablesResource, "deliverables", "deliverable", "deliverables")
