"""Labs by invitation let in the invited; labs for members let in members of the organisation named."""

import pytest
from django.core.exceptions import PermissionDenied

from coproduce.design import services


def test_only_invited_people_take_part_in_a_lab_by_invitation(personas, world):
    lab = services.create_lab(personas["staff"], world.service, title="Carers' panel", participation="invitation")
    conversation = services.create_conversation(personas["staff"], lab, title="Panel")
    services.add_seed_statement(personas["staff"], conversation, "Panel first")
    with pytest.raises(PermissionDenied):
        services.cast_vote(personas["citizen"], conversation, 0, 1)
    services.invite(personas["staff"], lab, personas["citizen"].person)
    services.cast_vote(personas["citizen"], conversation, 0, 1)
    with pytest.raises(PermissionDenied):
        services.invite(personas["broker"], lab, personas["broker"].person)


def test_members_of_the_named_organisation_take_part(personas, world):
    lab = services.create_lab(personas["staff"], world.service, title="Timebank members", participation="members",
                              members_of=world.group)
    conversation = services.create_conversation(personas["staff"], lab, title="Members")
    services.add_seed_statement(personas["staff"], conversation, "Members first")
    services.cast_vote(personas["citizen"], conversation, 0, 1)  # member of the timebank
    with pytest.raises(PermissionDenied):
        services.cast_vote(personas["other_org"], conversation, 0, 1)
