"""The dashboard, the alert rules and docs/observability.md name only metrics the API exports, and
the docs describe every one of them."""

import json
import re
from pathlib import Path

import yaml

from backend_api.core import metrics

DOCS = Path(__file__).resolve().parents[2] / "docs"
METRIC = re.compile(r"\bplanner_[a-z_]+")
SUFFIXES = ("_bucket", "_count", "_sum")


def exported() -> set[str]:
    """The names as a scrape shows them (counters with their _total)."""
    return {
        family.name + ("_total" if family.type == "counter" else "")
        for metric in vars(metrics._metrics()).values()
        for family in metric.describe()
    }


def base_name(name: str) -> str:
    for suffix in SUFFIXES:
        if name.endswith(suffix) and not name.endswith("_total"):
            return name.removesuffix(suffix)
    return name


def test_the_dashboard_is_grafana_json_over_exported_metrics():
    dashboard = json.loads((DOCS / "grafana" / "planner.json").read_text())
    assert dashboard["uid"] and dashboard["title"] and dashboard["schemaVersion"] >= 36
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids))
    used = set()
    for panel in dashboard["panels"]:
        assert panel["datasource"]["uid"] == "${datasource}" and panel["targets"], panel["title"]
        for target in panel["targets"]:
            used |= {base_name(name) for name in METRIC.findall(target["expr"])}
    assert used <= exported(), used - exported()
    assert used == exported()  # every metric has a panel


def test_no_two_dashboard_panels_overlap():
    boxes = [panel["gridPos"] for panel in json.loads((DOCS / "grafana" / "planner.json").read_text())["panels"]]
    cells = [
        (x, y)
        for box in boxes
        for x in range(box["x"], box["x"] + box["w"])
        for y in range(box["y"], box["y"] + box["h"])
    ]
    assert len(cells) == len(set(cells)) and all(x < 24 for x, _ in cells)


def test_the_alert_rules_are_well_formed_over_exported_metrics():
    rules = yaml.safe_load((DOCS / "prometheus" / "alerts.yml").read_text())
    (group,) = rules["groups"]
    for rule in group["rules"]:
        assert rule["alert"] and rule["expr"] and rule["labels"]["severity"] in ("page", "ticket"), rule
        assert rule["annotations"]["summary"]
        assert {base_name(name) for name in METRIC.findall(rule["expr"])} <= exported(), rule["alert"]


def test_the_docs_describe_every_metric_and_every_alert():
    text = (DOCS / "observability.md").read_text()
    for name in exported():
        assert f"`{name}`" in text, name
    for rule in yaml.safe_load((DOCS / "prometheus" / "alerts.yml").read_text())["groups"][0]["rules"]:
        assert rule["alert"] in text, rule["alert"]
