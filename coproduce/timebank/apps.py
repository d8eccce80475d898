from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimebankConfig(AppConfig):
    name = "coproduce.timebank"
    label = "timebank"
    verbose_name = _("Timebank")

    def ready(self) -> None:
        from coproduce.core import personal_data

        from . import permissions, services  # noqa: F401  (registers predicates)

        personal_data.register(
            "timebank", export=services.export_personal_data, erase=services.erase_personal_data
        )

        from . import metrics

        metrics.register_metrics()
