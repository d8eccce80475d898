from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "coproduce.outcomes"
    label = "outcomes"
    verbose_name = _("Outcomes and evidence")

    def ready(self) -> None:
        from coproduce.core import personal_data
        from coproduce.core import profile as person_page

        from . import metrics, permissions, services  # noqa: F401  (registers predicates)
        from .profile import badges_section

        metrics.register_core_metrics()
        personal_data.register(
            "outcomes", export=services.export_personal_data, erase=services.erase_personal_data
        )
        person_page.register("badges", template="outcomes/_profile_badges.html", context=badges_section)

        from coproduce.core import daily

        daily.register("indicator-readings", _readings,
                       "Write last month's readings of indicators fed by platform metrics and surveys.")


def _readings(day) -> str:
    from datetime import timedelta

    from coproduce.core.audit import Channel

    from .services import refresh_metric_readings

    month = day.replace(day=1) - timedelta(days=1)
    done = refresh_metric_readings(None, month=month.replace(day=1), channel=Channel.SYSTEM)
    return f"{len(done)} indicator reading(s) for {month:%Y-%m} written"
