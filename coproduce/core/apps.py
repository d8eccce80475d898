from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "coproduce.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import permissions, signals  # noqa: F401  (registers predicates and signal handlers)
