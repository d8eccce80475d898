"""Riverton's outcomes: the council's published framework "A connected, caring Riverton", two years
of readings (manual survey results, and platform metrics – history imported from the council's
earlier records, this month computed live), a memory café initiative for carers of people with
dementia, involvement self-assessments, a social value report and some badges.

Everything is made through the services, so the audit log tells the story too.
"""

from datetime import date, timedelta
from decimal import Decimal

from coproduce.core.audit import Channel

from . import services

SYSTEM = Channel.SYSTEM


def _months_back(today: date, n: int) -> date:
    """The last day of the month `n` months before this one."""
    first = today.replace(day=1)
    for _ in range(n):
        first = (first - timedelta(days=1)).replace(day=1)
    return (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def _years_later(day: date, years: int) -> date:
    return date(day.year + years, day.month, min(day.day, 28))


def _history_csv(today: date, values: list) -> str:
    """A CSV of monthly values ending last month (the oldest first)."""
    lines = ["date,value,note"]
    for back, value in zip(range(len(values), 0, -1), values, strict=True):
        lines.append(f"{_months_back(today, back).isoformat()},{value},council records")
    return "\n".join(lines) + "\n"


def load(town) -> None:
    from django.utils import timezone

    today = timezone.localdate()
    admin = town.admin
    council = town.council
    start = _months_back(today, 24)  # two years ago, end of month

    fw = services.create_framework(
        admin, council, title="A connected, caring Riverton", channel=SYSTEM,
        description="What Riverton's council, services and residents are working towards together, and how "
                    "we know whether it is happening.")
    connected = services.add_goal(admin, fw, title="People are connected and cared for", channel=SYSTEM)
    lonely = services.add_outcome(admin, connected, title="Fewer people feel lonely", channel=SYSTEM)
    carers = services.add_outcome(admin, connected, title="Carers of people with dementia get the support they need",
                                  channel=SYSTEM)
    contribute = services.add_goal(admin, fw, title="Everyone can contribute", channel=SYSTEM)
    give = services.add_outcome(admin, contribute, title="More people take part and give their time", channel=SYSTEM)

    owner = town.people.get("staff")
    loneliness = services.create_indicator(
        admin, lonely, title="Residents who often feel lonely", unit="%", better="down",
        baseline_value=Decimal("24.0"), baseline_date=start, owner=owner, channel=SYSTEM,
        description="Residents' survey: share answering 'often' or 'always' to 'How often do you feel lonely?'")
    services.set_target(admin, loneliness, due=_years_later(start, 3), value=Decimal("18.0"),
                        channel=SYSTEM)
    for quarter, value in enumerate(["23.6", "23.1", "22.9", "22.0", "21.8", "21.1", "20.9", "20.4"], start=1):
        services.record_reading(admin, loneliness, on=_months_back(today, 26 - 3 * quarter), value=Decimal(value),
                                note="Quarterly residents' survey", channel=SYSTEM)

    on_behalf = services.create_indicator(
        admin, lonely, title="People registered on their behalf each month", unit="people", better="up",
        source="metric", metric_key="core.people_registered_on_behalf", baseline_value=Decimal(2),
        baseline_date=start, channel=SYSTEM,
        description="People without internet whom staff registered in person, by phone or on paper, so that "
                    "they can take part.")
    services.set_target(admin, on_behalf, due=_years_later(start, 3), value=Decimal(10), channel=SYSTEM)

    cafe_visits = services.create_indicator(
        admin, carers, title="Carers at the memory café each month", unit="carers", better="up",
        baseline_value=Decimal(6), baseline_date=start, counts_people=True, channel=SYSTEM)
    services.set_target(admin, cafe_visits, due=_years_later(start, 2), value=Decimal(25), channel=SYSTEM)
    services.import_readings_csv(admin, cafe_visits, _history_csv(
        today, [6, 7, 7, 9, 10, 9, 11, 12, 12, 14, 15, 15, 16, 17, 18, 18, 19, 21, 20, 22, 23, 23, 24, 26]),
        dry_run=False, channel=SYSTEM)

    members = services.create_indicator(
        admin, give, title="Members of council services", unit="people", better="up", source="metric",
        metric_key="core.active_members", baseline_value=Decimal(3), baseline_date=start, channel=SYSTEM)
    services.set_target(admin, members, due=_years_later(start, 3), value=Decimal(30), channel=SYSTEM)
    newcomers = services.create_indicator(
        admin, give, title="New members each month", unit="people", better="up", source="metric",
        metric_key="core.new_memberships", decision_id=None, channel=SYSTEM)
    services.set_target(admin, newcomers, due=_years_later(start, 2), value=Decimal(5), channel=SYSTEM)

    # Two years of the metric-fed indicators from the council's records before the platform...
    services.import_readings_csv(admin, on_behalf, _history_csv(
        today, [2, 3, 2, 4, 3, 4, 5, 4, 5, 6, 5, 6, 6, 7, 6, 7, 8, 7, 8, 8, 9, 8, 9, 9]), dry_run=False, channel=SYSTEM)
    services.import_readings_csv(admin, members, _history_csv(
        today, [3, 3, 4, 4, 4, 5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9, 9, 9, 10, 10, 10, 10]), dry_run=False,
        channel=SYSTEM)
    services.import_readings_csv(admin, newcomers, _history_csv(
        today, [1, 0, 2, 1, 1, 2, 1, 3, 2, 2, 3, 2, 3, 3, 2, 4, 3, 3, 4, 3, 4, 4, 5, 4]), dry_run=False,
        channel=SYSTEM)
    # A survey result feeds an indicator: the share of Adult Social Care's budget survey respondents who
    # trust the council to spend it well (agree or strongly agree), when the assessment demo made it.
    trust = next((q for q in services.survey_questions_for(admin)
                  if q.text == "I trust the council to spend it well"), None)
    if trust is not None:
        trusted = services.create_indicator(
            admin, give, title="Residents who trust the council to spend the care budget well", unit="%",
            better="up", source="survey", survey_question_id=trust.pk, channel=SYSTEM,
            description=f"Survey “{trust.survey.title}”: share answering agree or strongly agree.")
        services.set_target(admin, trusted, due=_years_later(today, 2), value=Decimal(60), channel=SYSTEM)
    # ...and this month so far, computed by the platform (`coproduce outcomes refresh` keeps it up).
    services.refresh_metric_readings(None, month=today, channel=SYSTEM)
    services.set_framework_published(admin, fw, True, channel=SYSTEM)

    # The memory café: a community group's initiative serving the carers' outcome.
    friends = town.organisations["Memory Café Friends"]
    cafe = services.create_initiative(
        admin, friends, carers, title="Memory café for carers of people with dementia", channel=SYSTEM,
        description="A monthly café in Millbrook library where carers and the people they care for meet, "
                    "talk to a dementia nurse and share tips – hosted by volunteers.")
    for kind, app_label, object_id, title in [
        ("design", "other", 1, "Carers' conversation: what would help?"),
        ("deliver", "other", 2, "Volunteer hosts giving their time through Riverton Timebank"),
        ("assess", "other", 3, "Carers rate the café each quarter"),
    ]:
        services.link_activity(admin, cafe, kind=kind, app_label=app_label, object_id=object_id, title=title,
                               channel=SYSTEM)
    services.update_step(admin, cafe, "map", notes="Mapped carers, groups and places in North Riverton.",
                         started_on=start, completed_on=_months_back(today, 21), channel=SYSTEM)
    services.update_step(admin, cafe, "focus", notes="Carers chose a monthly café with a nurse present.",
                         started_on=_months_back(today, 21), completed_on=_months_back(today, 18), channel=SYSTEM)
    services.update_step(admin, cafe, "people", notes="Recruiting volunteer hosts through the timebank.",
                         started_on=_months_back(today, 18), channel=SYSTEM)

    for months, scores in [(13, [2, 2, 1, 2, 1]), (1, [3, 3, 2, 3, 2])]:
        services.record_self_assessment(
            admin, council, assessed_on=_months_back(today, months), channel=SYSTEM,
            scores={s: (n, "Reviewed with the residents' panel.") for s, n in
                    zip(["principles", "purpose", "presence", "process", "impact"], scores, strict=True)})

    timebank = town.organisations["Riverton Timebank"]
    # The last twelve months, so that the timebank's recent exchanges (and other modules' hours) show.
    report = services.create_social_value_report(
        admin, timebank, title="Riverton Timebank: the last twelve months", period_start=today - timedelta(days=364),
        period_end=today, low_rate_minor=1221, high_rate_minor=1750, channel=SYSTEM,
        rate_basis="Low: the national minimum wage. High: what the council pays for an hour of care support.")
    services.add_hours(admin, report, label="Memory café volunteer hosts (paper sign-in sheets)", minutes=310 * 60,
                       channel=SYSTEM)
    services.add_cost(admin, report, label="Time broker (part-time)", amount_minor=1_450_000, channel=SYSTEM)
    services.add_cost(admin, report, label="Room hire and refreshments", amount_minor=180_000, channel=SYSTEM)

    codesigner = services.create_badge_class(
        admin, council, name="Co-designer of a service", channel=SYSTEM,
        description="Helped design a council service together with the people who use it.",
        criteria="Took part in a design lab and in the decision that came out of it.")
    broker = services.create_badge_class(
        admin, timebank, name="Time broker", description="Trained to match people's time and skills.",
        criteria="Completed the time broker training and brokered ten exchanges.", channel=SYSTEM)
    hundred = services.create_badge_class(
        admin, timebank, name="100 hours given", description="Gave 100 hours to neighbours through the timebank.",
        criteria="100 hours given, as recorded in the timebank's books.", channel=SYSTEM)
    services.create_badge_class(
        admin, town.organisations["Adult Social Care"], name="Trained inspector", channel=SYSTEM,
        description="Trained to inspect care services with staff, as a citizen inspector.",
        criteria="Completed the citizen inspector course and one inspection visit.")
    # Awards are never public when made: the people who have a login chose to show some of theirs.
    shown = []
    if "broker" in town.people:
        shown.append(services.award_badge(admin, broker, town.people["broker"], channel=SYSTEM))
    for index, person in enumerate(town.citizens[:12]):
        if person.user_id is None:
            continue
        award = services.award_badge(admin, codesigner if index % 2 else hundred, person, evidence="Demo award",
                                     channel=SYSTEM)
        if index % 3 == 0:
            shown.append(award)
    for award in shown:
        services.set_award_consent(award.person.user, award, True)
    # One assisted member (no login) agreed on the paper award form; staff record it in her name.
    assisted = next((p for p in town.citizens if p.user_id is None), None)
    if assisted is not None:
        award = services.award_badge(admin, hundred, assisted, evidence="Demo award", channel=Channel.PAPER)
        services.set_award_consent(admin, award, True, consent=True, channel=Channel.PAPER)
