from pydantic import Field

from backend_api.core.schemas import OUTPUT, CamelModel, Stored


class DepartmentIn(CamelModel):
    name: str = Field(min_length=1, max_length=200)
    parent_id: int | None = None
    manager_id: int | None = None
    description: str = Field(default="", max_length=10_000)


class DepartmentOut(DepartmentIn, Stored):
    model_config = OUTPUT
