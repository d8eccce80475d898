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

        from coproduce.core import daily

        daily.register("timebank-digest", _digest, "Email each broker their banks' unmatched requests (once a day).")
        daily.register("standing-donations", _standing_donations, "Give this month's standing donations (once a month).")


def _digest(day) -> str:
    from .notifications import send_digests

    return f"{send_digests(day)} digest(s) of unmatched requests sent"


def _standing_donations(day) -> str:
    from .standing import run_due

    counts = run_due(day)
    return f"{counts['given']} given, {counts['refused']} refused by a limit, {counts['already']} already given"


def _seed_categories(sender, **kwargs) -> None:
    from .categories import seed_missing
    from .models import Category

    seed_missing(Category)
