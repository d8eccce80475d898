"""Ballots are secret: no ballot row, export, audit entry, staff page or personal-data download links
a ballot to a person; only the voter can see (and change) their own ballot."""

import hashlib
import json
import re

from coproduce.budgeting import services
from coproduce.budgeting.models import Ballot, Tally
from coproduce.core.models import AuditEntry


def test_nothing_links_a_ballot_to_a_person(pb, personas, phase, client_as):
    phase(pb.process, "vote")
    carla = personas["citizen"]
    skate = pb.proposals["Skate park"]
    services.cast_ballot(carla, pb.city, choices=[skate.pk])
    services.cast_ballot(carla, pb.north, choices=[pb.proposals["Millbrook planters"].pk])
    person_id = carla.person.pk

    # the stored row: an opaque key, no person, no user, no time
    field_names = {f.name for f in Ballot._meta.get_fields()}
    assert not field_names & {"person", "user", "voter", "created_at", "updated_at", "at"}
    # The key is keyed with SECRET_KEY: it is not any unkeyed hash of who the voter is.
    unkeyed = {
        hashlib.sha256(text.encode()).hexdigest()
        for text in (str(person_id), f"person:{person_id}", f"ballot:{pb.process.pk}:person:{person_id}",
                     f"ballot:{pb.process.pk}:{person_id}")
    }
    for ballot in Ballot.objects.all():
        assert re.fullmatch(r"[0-9a-f]{64}", ballot.voter_key)
        assert ballot.voter_key not in unkeyed

    # the audit log says Carla voted in the budget, never what she chose or which ballot row
    entries = AuditEntry.objects.filter(action="ballot.cast")
    assert entries.count() == 2
    for entry in entries:
        assert entry.object_type == "budgeting.budget" and entry.details == {}
        assert str(skate.pk) not in json.dumps(entry.details)

    # the voter sees her own choice; staff pages never show it
    mine = client_as(carla).get(f"/budgeting/{pb.process.slug}/budgets/{pb.city.pk}/vote/")
    assert mine.context["has_voted"] and mine.context["form"].initial == {"choices": [str(skate.pk)]}
    admin = client_as(personas["platform_admin"])
    staff_view = admin.get(f"/budgeting/{pb.process.slug}/budgets/{pb.city.pk}/paper/")
    assert staff_view.status_code == 200 and not staff_view.context["form"].initial
    assert b"Carla" not in staff_view.content

    # personal data download: proposals and so on, but no ballots
    data = services.export_personal_data(carla.person)
    assert "ballots" not in data and "Skate park" not in json.dumps(data.get("supports"))

    # the Pabulib export and the computation log have anonymous voters 1..n only
    services.set_phase(personas["org_admin"], pb.process, "results")
    text = client_as(None).get(f"/budgeting/{pb.process.slug}/budgets/{pb.city.pk}/results/ballots.pb").content.decode()
    votes = text.split("VOTES\n", 1)[1].splitlines()
    assert votes[0] == "voter_id;vote" and votes[1].startswith("1;")
    assert "carla" not in text.lower() and Ballot.objects.get(budget=pb.city).voter_key not in text
    log = Tally.objects.get(budget=pb.city, official=True).log_json
    assert "carla" not in log.lower() and Ballot.objects.get(budget=pb.city).voter_key not in log
    # erasing Carla leaves the ballots (and the count) untouched, and still unlinked
    from coproduce.core import services as core_services

    core_services.erase_person(carla, carla.person)
    assert Ballot.objects.count() == 2
