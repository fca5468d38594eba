"""A state that leaves a hook of its mixins undefined fails when its class is defined (at import),
not when a person first clicks what would call the hook."""

import pytest
import reflex as rx

from planner_app.states.conflict import EditFormMixin
from planner_app.states.hooks import undefined_hooks
from planner_app.states.people import PERSON_FIELDS, PeopleState


def test_a_state_missing_a_hook_fails_at_definition():
    with pytest.raises(TypeError, match="_form_labels"):

        class HalfAFormState(EditFormMixin, rx.State):
            def _form_resource(self, api):
                return api.people

            def _show_item(self, item):
                pass


def test_the_people_list_names_its_form_labels_for_the_conflict_review():
    assert undefined_hooks(PeopleState) == []
    assert PeopleState._form_labels(PeopleState) == PERSON_FIELDS
