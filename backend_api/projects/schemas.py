from datetime import date

from pydantic import Field, model_validator

from backend_api.core.schemas import OUTPUT, CamelModel, Stored, dates_in_order

from .models import ProjectStatus


class ProjectIn(CamelModel):
    name: str = Field(min_length=1, max_length=200)
    project_number: str | None = Field(default=None, max_length=50)
    client: str = Field(default="Internal", max_length=200)
    status: ProjectStatus = ProjectStatus.PLANNING
    start_date: date | None = None
    end_date: date | None = None
    # allow_inf_nan=False: JSON bodies may carry Infinity (Python's json accepts it); stored, it
    # would be rendered back as the bare token Infinity, which is not JSON.
    estimated_hours: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    description: str = Field(default="", max_length=10_000)

    @model_validator(mode="after")
    def _check(self):
        self.project_number = self.project_number or None  # "" is "no number", not a unique value
        self.client = self.client or "Internal"
        dates_in_order(self.start_date, self.end_date)
        return self


class ProjectOut(ProjectIn, Stored):
    model_config = OUTPUT
