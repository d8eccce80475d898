from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    name = "coproduce.assets"
    label = "assets"
    verbose_name = _("Asset map")

    def ready(self) -> None:
        from coproduce.core import personal_data, profile, warmup

        from . import matchindex, permissions, services, views  # noqa: F401  (registers predicates)

        personal_data.register("assets", export=services.export_personal_data, erase=services.erase_personal_data)
        profile.register("assets", template="assets/_person_section.html", context=views.person_section)
        warmup.register("assets", matchindex.warm)  # run only by `coproduce serve`'s workers
