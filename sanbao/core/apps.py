from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "sanbao.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from sanbao.core.choices import speed_up_choice_labels

        speed_up_choice_labels()
