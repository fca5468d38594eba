"""core/resource reads links from the models' foreign keys instead of lists a feature keeps."""

from backend_api.core.resource import linked_column, set_null_links
from backend_api.models import Assignment, AuditLog, Department, Person, Project, User


def _names(columns) -> set[str]:
    return {f"{column.table.name}.{column.name}" for column in columns}


def test_the_rows_unlinked_on_delete_are_those_of_set_null_foreign_keys():
    assert _names(set_null_links(Person.__table__)) == {"departments.manager_id", "users.person_id"}
    assert _names(set_null_links(Department.__table__)) == {"people.department_id", "departments.parent_id"}
    assert set_null_links(Project.__table__) == []  # assignments RESTRICT, deliverables CASCADE
    # audit_log.actor_id is SET NULL too, but has no version (no ETag to go stale): the key does it.
    assert "actor_id" in AuditLog.__table__.c and set_null_links(User.__table__) == []


def test_a_link_is_checked_on_the_table_its_foreign_key_names():
    assert linked_column(Assignment.__table__.c.person_id) is Person.__table__.c.id
    assert linked_column(Department.__table__.c.parent_id) is Department.__table__.c.id
