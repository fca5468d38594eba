import datetime as dt
from typing import ClassVar

from pydantic import Field

from backend_api.core.schemas import OUTPUT, CamelModel, Stored


class DeliverableIn(CamelModel):
    read_only: ClassVar = CamelModel.read_only | {"projectName"}

    project_id: int
    date: dt.date | None = None
    description: str = Field(default="", max_length=10_000)
    percentage: int | None = Field(default=None, ge=0, le=100)
    is_completed: bool = False
    notes: str = Field(default="", max_length=10_000)


class DeliverableOut(DeliverableIn, Stored):
    model_config = OUTPUT
    project_name: str | None = None
