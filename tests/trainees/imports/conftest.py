import pytest

from tests.trainees.factories import PersonFactory, TrainingEventFactory
from trainees.imports.services import (
    roster_import_analyse,
    roster_import_confirm,
    roster_import_create,
)


@pytest.fixture
def event(db):
    return TrainingEventFactory(title="EOD niveau 1")


@pytest.fixture
def preview(event):
    def run(content, name="liste.csv", user=None, target=None):
        data = content.encode() if isinstance(content, str) else content
        roster_import = roster_import_create(
            event=target or event, file_name=name, data=data, user=user, enqueue=False
        )
        return roster_import_analyse(roster_import=roster_import)

    return run


@pytest.fixture
def imported(preview):
    def run(content, name="liste.csv", user=None, target=None):
        roster_import = preview(content, name, user, target)
        assert roster_import.status == "ready", roster_import.problems
        return roster_import_confirm(roster_import=roster_import, user=user)

    return run


@pytest.fixture
def person():
    return PersonFactory
