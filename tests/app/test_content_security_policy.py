"""The script policy allows exactly the inline scripts the build wrote (planner_app/security.py)."""

import base64
import hashlib

from planner_app.security import content_security_policy, inline_script_hashes


def _source(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"


def test_every_inline_script_of_every_page_is_hashed_once_and_external_ones_are_not(tmp_path):
    (tmp_path / "people").mkdir()
    (tmp_path / "index.html").write_text(
        '<script>\n  window.a = "é";\n</script><script src="/pwa.js"></script>'
        '<script type="module">import "/x.js";</script>',
        encoding="utf-8",
    )
    (tmp_path / "people" / "index.html").write_text('<p>x</p><script>\n  window.a = "é";\n</script>')
    assert inline_script_hashes(tmp_path) == sorted([_source('\n  window.a = "é";\n'), _source('import "/x.js";')])


def test_the_policy_keeps_framing_rules_and_never_allows_inline_scripts_wholesale(tmp_path):
    (tmp_path / "index.html").write_text("<script>go()</script>")
    policy = content_security_policy(tmp_path)
    assert "frame-ancestors 'none'" in policy and f"script-src 'self' 'unsafe-eval' {_source('go()')}" in policy
    assert "unsafe-inline" not in policy
