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

        from . import codelivery_data

        personal_data.register("timebank_codelivery", export=codelivery_data.export, erase=codelivery_data.erase)

        from . import metrics

        metrics.register_metrics()

        from django.db.models.signals import post_migrate

        post_migrate.connect(_seed_categories, sender=self)


def _seed_categories(sender, **kwargs) -> None:
    from .categories import seed_missing
    from .models import Category

    seed_missing(Category)
