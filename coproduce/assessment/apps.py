from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "coproduce.assessment"
    label = "assessment"
    verbose_name = _("Co-assessment")

    def ready(self) -> None:
        from coproduce.core import personal_data

        from . import permissions  # noqa: F401  (registers the predicates)
        from .personal_data import erase, export

        personal_data.register("assessment", export=export, erase=erase)

        from . import metrics

        metrics.register_metrics()

        from coproduce.outcomes import services as outcome_services

        from .survey_services import question_result_for_period

        outcome_services.set_survey_result_provider(question_result_for_period)

        from coproduce.core import daily

        daily.register("inspection-chase", _chase, "Email services about overdue inspection actions (once a day each).")


def _chase(day) -> str:
    from .inspection_services import chase_overdue_actions

    result = chase_overdue_actions(day)
    return f"{result['actions']} overdue action(s) of {result['services']} service(s) chased"
