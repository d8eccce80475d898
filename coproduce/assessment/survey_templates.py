"""Ready-made surveys staff create in one action (`survey_services.create_survey_from_template`).

A template is plain data: a title, an introduction, whether answers are anonymous, its questions (in
the arguments of `survey_services.add_question`) and which single-choice question groups the
allocation results. Its texts are translated when the survey is made, in the language of the person
making it; the survey is then an ordinary draft they may edit before opening it.

- ``barriers``: the barriers to co-production – who the respondent is (staff, service user, carer,
  community member), how they would spend a budget increase across the factors that enable
  co-production (an allocation of 100 %: training staff; staff who enable service users and
  communities to co-produce; connecting users to communities; ICT; time and expenses of participants;
  something else), and what gets in the way. Its results page shows the per-respondent table with
  the average row, and the averages per role.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Template:
    key: str
    name: str
    title: str
    description: str
    questions: list = field(default_factory=list)  # dicts of add_question arguments
    group_by: int | None = None  # index of the question that groups the results
    is_anonymous: bool = True


BARRIERS = Template(
    key="barriers",
    name=_("Barriers to co-production (budget allocation by role)"),
    title=_("What would help us co-produce more?"),
    description=_("We want to work with the people who use our services and their communities as equal "
                  "partners. Tell us what holds that back, and how you would spend extra money to make it easier. "
                  "Your answers are anonymous."),
    questions=[
        {"kind": "single", "text": _("Which best describes you?"), "options": [
            _("Member of staff"), _("Person who uses the services"), _("Carer or family member"),
            _("Community member or volunteer")]},
        {"kind": "allocation", "unit": "percent",
         "text": _("If the budget for working together grew, how would you spend the increase? "
                   "Share 100 % across these."),
         "options": [
             _("Training staff in co-production"),
             _("Staff who enable service users and communities to co-produce"),
             _("Connecting service users to communities and to each other"),
             _("ICT: equipment, software and internet access"),
             _("Time and expenses of the people taking part"),
             _("Something else"),
         ]},
        {"kind": "text", "required": False, "text": _("What gets in the way of co-production where you are?")},
    ],
    group_by=0,
)

TEMPLATES = {t.key: t for t in (BARRIERS,)}


def choices() -> list[tuple[str, str]]:
    return [(t.key, t.name) for t in TEMPLATES.values()]
