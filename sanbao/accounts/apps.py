from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "sanbao.accounts"
    label = "accounts"
    verbose_name = _("Organisations and users")

    def ready(self):
        # The audit trail names this app's records and their events.
        from sanbao.accounts import trail

        trail.register()
