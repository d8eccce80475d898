from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetingConfig(AppConfig):
    name = "coproduce.budgeting"
    label = "budgeting"
    verbose_name = _("Co-commissioning")

    def ready(self) -> None:
        from coproduce.core import personal_data

        from . import permissions, services  # noqa: F401  (registers predicates)

        personal_data.register(
            "budgeting", export=services.export_personal_data, erase=services.erase_personal_data
        )

        from . import metrics

        metrics.register_metrics()
