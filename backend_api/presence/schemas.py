from pydantic import Field

from backend_api.core.schemas import OUTPUT, CamelModel, Id, UserRefOut

from .models import Activity, Watched


class PresenceIn(CamelModel):
    """What a tab has open. The item is not looked up: every signed-in user reads all of them."""

    resource: Watched
    object_id: Id
    activity: Activity
    detail: str = Field(default="", max_length=64)


class PresenceOut(CamelModel):
    """`you`: the caller's own tab (the session of the token, the `tab` of the query)."""

    model_config = OUTPUT
    user: UserRefOut
    resource: Watched
    object_id: int
    activity: Activity
    detail: str
    you: bool


class PresenceList(CamelModel):
    model_config = OUTPUT
    results: list[PresenceOut]
