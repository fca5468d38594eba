"""The docs stay usable: every relative link in README.md and docs/ leads to a file that exists,
and docs/api.md names every route the API serves and every error code it sends."""

import re
from pathlib import Path

from pyramid.interfaces import IRoutesMapper

ROOT = Path(__file__).resolve().parents[2]
DOCS = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
# [text](target) and [text](target "title"); images too. Reference-style links are not used.
LINK = re.compile(r"\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)  # https:, mailto:, …


def relative_links(path: Path) -> list[str]:
    # Fenced code blocks are examples, not links.
    text = re.sub(r"^```.*?^```", "", path.read_text(), flags=re.MULTILINE | re.DOTALL)
    return [target for target in LINK.findall(text) if not EXTERNAL.match(target) and not target.startswith("#")]


def test_the_docs_link_each_other():
    # Guards the pattern itself: a LINK that matched nothing would make the next test pass vacuously.
    readme_links = relative_links(ROOT / "README.md")
    for name in ("docs/architecture.md", "docs/api.md", "docs/design.md"):
        assert name in readme_links
    assert (ROOT / "docs" / "decisions").is_dir() and relative_links(ROOT / "docs" / "architecture.md")


def test_every_relative_link_points_at_an_existing_file():
    broken = []
    for path in DOCS:
        for target in relative_links(path):
            if not (path.parent / target.split("#")[0]).exists():
                broken.append(f"{path.relative_to(ROOT)}: {target}")
    assert not broken, broken


def test_every_route_is_in_the_api_doc(registry):
    api_doc = (ROOT / "docs" / "api.md").read_text()
    patterns = {route.pattern for route in registry.getUtility(IRoutesMapper).get_routes()}
    assert "/api/people/{id}/" in patterns  # the route table as the app serves it, not a copy
    missing = sorted(pattern for pattern in patterns if pattern not in api_doc)
    assert not missing, missing


def test_the_error_table_lists_every_error_code():
    from backend_api.core.error_codes import ErrorCode

    api_doc = (ROOT / "docs" / "api.md").read_text()
    table = re.search(r"^\| status \| code \| when \|\n(?:\|.*\n)+", api_doc, flags=re.MULTILINE)
    assert table is not None, "docs/api.md lost its error table"
    listed = set(re.findall(r"`([a-z_]+)`", "\n".join(row.split("|")[2] for row in table.group().splitlines()[2:])))
    assert listed == set(ErrorCode), {"undocumented": set(ErrorCode) - listed, "unknown": listed - set(ErrorCode)}
