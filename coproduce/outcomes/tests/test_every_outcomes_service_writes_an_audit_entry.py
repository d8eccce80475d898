"""Each state change made through an outcomes service leaves an audit entry; co-designed changes
carry the design-lab decision they came from; refused or bad calls change nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coproduce.core.models import AuditEntry
from coproduce.outcomes import services
from coproduce.outcomes.models import Framework, Indicator


def actions():
    return list(AuditEntry.objects.filter(action__startswith="outcomes.").order_by("id").values_list("action", flat=True))


def test_framework_indicator_and_reading_services_are_audited(personas, world):
    ada = personas["org_admin"]
    fw = services.create_framework(ada, world.council, title="Caring Testville")
    services.update_framework(ada, fw, description="With carers.")
    goal = services.add_goal(ada, fw, title="Carers are well")
    outcome = services.add_outcome(ada, goal, title="Carers get breaks")
    ind = services.create_indicator(ada, outcome, title="Breaks", unit="breaks", decision_id=17)
    services.update_indicator(ada, ind, unit="breaks a month", decision_id=18)
    target = services.set_target(ada, ind, due=date(2027, 1, 1), value=Decimal(30), decision_id=19)
    reading = services.record_reading(ada, ind, on=date(2025, 1, 31), value=Decimal(12))
    services.set_framework_published(ada, fw, True)
    services.delete_reading(ada, reading)
    services.remove_target(ada, target)
    assert actions() == [
        "outcomes.framework.create", "outcomes.framework.update", "outcomes.goal.create", "outcomes.outcome.create",
        "outcomes.indicator.create", "outcomes.indicator.update", "outcomes.target.set", "outcomes.reading.create",
        "outcomes.framework.publish", "outcomes.reading.delete", "outcomes.target.remove"]
    decisions = [e.details.get("design_decision_id") for e in AuditEntry.objects.filter(
        action__in=["outcomes.indicator.create", "outcomes.indicator.update", "outcomes.target.set"]).order_by("id")]
    assert decisions == [17, 18, 19]
    assert Indicator.objects.get(pk=ind.pk).design_decision_id == 19
    assert {e.organisation_id for e in AuditEntry.objects.filter(action__startswith="outcomes.")} == {world.council.pk}


def test_initiative_self_assessment_social_value_and_badge_services_are_audited(personas, world, published):
    sam = personas["staff"]
    outcome = published.outcomes.first()
    initiative = services.create_initiative(sam, world.service, outcome, title="Memory café")
    activity = services.link_activity(sam, initiative, kind="deliver", app_label="timebank", object_id=3,
                                      title="Café volunteers")
    services.unlink_activity(sam, activity)
    services.update_step(sam, initiative, "map", notes="Who cares for whom", started_on=date(2025, 1, 1))
    services.record_self_assessment(sam, world.service, assessed_on=date(2025, 1, 1),
                                    scores={s: (2, "") for s in ("principles", "purpose", "presence", "process",
                                                                 "impact")})
    report = services.create_social_value_report(sam, world.service, title="2025", period_start=date(2025, 1, 1),
                                                 period_end=date(2025, 12, 31), low_rate_minor=1, high_rate_minor=2)
    cost = services.add_cost(sam, report, label="Room", amount_minor=100)
    services.add_hours(sam, report, label="Paper", minutes=60)
    services.remove_line(sam, cost)
    badge = services.create_badge_class(sam, world.service, name="Host", description="d", criteria="c")
    from coproduce.core import services as core

    nell = core.register_person(sam, world.service, consent=True, name="Nell")
    award = services.award_badge(sam, badge, nell)
    services.set_award_consent(sam, award, True, consent=True, channel="phone")
    services.revoke_award(sam, award)
    expected = ["outcomes.initiative.create", "outcomes.activity.link", "outcomes.activity.unlink",
                "outcomes.step.update", "outcomes.self_assessment.create", "outcomes.social_value.create",
                "outcomes.social_value.add_cost", "outcomes.social_value.add_hours",
                "outcomes.social_value.remove_line", "outcomes.badge.create", "outcomes.badge.award",
                "outcomes.badge.consent", "outcomes.badge.revoke"]
    assert actions()[-len(expected):] == expected
    consent = AuditEntry.objects.get(action="outcomes.badge.consent")
    assert consent.on_behalf_of == nell  # staff recorded it for her


def test_refused_and_bad_calls_change_nothing(personas, world, draft):
    before = AuditEntry.objects.count()
    outcome = draft.outcomes.first()
    with pytest.raises(PermissionDenied):
        services.create_framework(personas["citizen"], world.council, title="Sneaky")
    with pytest.raises(PermissionDenied):
        services.create_indicator(personas["staff"], outcome, title="x", unit="y")  # council, not Sam's
    with pytest.raises(ValidationError) as excinfo:
        services.create_indicator(personas["org_admin"], outcome, title="", unit="", baseline_value=Decimal(3),
                                  source="survey")
    assert {"title", "unit", "baseline_date", "survey_question_id"} <= set(excinfo.value.message_dict)
    with pytest.raises(ValidationError):
        services.create_indicator(personas["org_admin"], outcome, title="t", unit="u", baseline_value=1.5,
                                  baseline_date=date(2024, 1, 1))  # a float
    with pytest.raises(ValidationError):
        services.create_indicator(personas["org_admin"], outcome, title="t", unit="u", decision_id=-3)
    with pytest.raises(ValidationError):
        services.set_framework_published(personas["org_admin"],
                                         services.create_framework(personas["org_admin"], world.council, title="Empty"),
                                         True)
    assert AuditEntry.objects.count() == before + 1  # only the empty framework's creation
    assert Framework.objects.filter(title="Sneaky").count() == 0


def test_personal_data_export_and_erasure_cover_badges(personas, world):
    from coproduce.core import services as core

    sam, admin = personas["staff"], personas["platform_admin"]
    nell = core.register_person(sam, world.service, consent=True, name="Nell")
    badge = services.create_badge_class(sam, world.service, name="Host", description="d", criteria="c")
    award = services.award_badge(sam, badge, nell, evidence="Ran the café")
    services.set_award_consent(sam, award, True, consent=True, channel="paper")
    data = core.export_person_data(admin, nell)
    assert data["outcomes"]["badges"][0]["badge"] == "Host"
    core.erase_person(admin, nell)
    award = nell.badge_awards.get()
    assert award.show_on_profile is False and award.evidence == ""
