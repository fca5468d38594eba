from backend_api.core.resource import DATE_RANGE, Resource, date_range_filters, register

from .models import TimeOff
from .schemas import TimeOffIn, TimeOffOut


class TimeOffResource(Resource):
    model, schema, out, label = TimeOff, TimeOffIn, TimeOffOut, "Time off"
    filters = {"personId": "person_id", "kind": "kind"}
    ordering = {
        "startDate": "start_date",
        "endDate": "end_date",
        "createdAt": "created_at",
        "updatedAt": "updated_at",
        "id": "id",
    }
    default_ordering = ("startDate",)
    extra_params = DATE_RANGE
    foreign = {"personId": "Person"}
    names = {"person_name": "person_id"}

    def extra_filters(self, values):
        # ?from=&to= for the calendar: time off overlapping a date range.
        return date_range_filters(values, TimeOff.start_date, TimeOff.end_date)


def includeme(config):
    register(config, TimeOffResource, "timeoff", "timeoff_item", "timeoff")
