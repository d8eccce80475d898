from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DesignConfig(AppConfig):
    name = "coproduce.design"
    label = "design"
    verbose_name = _("Co-design")

    def ready(self) -> None:
        from coproduce.core import personal_data

        from . import permissions  # noqa: F401  (registers the predicates)
        from .personal_data import erase, export

        personal_data.register("design", export=export, erase=erase)

        from django.contrib.auth.signals import user_logged_in

        from . import metrics, sessions

        user_logged_in.connect(sessions.on_login, dispatch_uid="design.merge_anonymous_participation")

        metrics.register_metrics()
