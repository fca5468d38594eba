"""Utilisation bands: one set of thresholds for the figures computed in Python (a row's weeks) and
in SQL (queries.band_of, the distribution over everyone)."""

from enum import StrEnum

OPTIMAL_FROM = 70
HIGH_FROM = 85
OVER_ABOVE = 100


class Band(StrEnum):
    """Utilisation bands, lowest first; the API sends each row's band, so no client recomputes it."""

    UNDERUTILIZED = "underutilized"
    OPTIMAL = "optimal"
    HIGH = "high"
    OVERALLOCATED = "overallocated"


def band(percent: float | None) -> Band:
    if percent is None or percent > OVER_ABOVE:
        return Band.OVERALLOCATED
    if percent >= HIGH_FROM:
        return Band.HIGH
    if percent >= OPTIMAL_FROM:
        return Band.OPTIMAL
    return Band.UNDERUTILIZED
