from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "sanbao.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        # The list pages' exports (core.lists) are written as this app writes every
        # workbook: core imports no app, so the writer is plugged in here.
        from sanbao.core import lists
        from sanbao.documents.xlsx import xlsx_bytes

        lists.set_writer(lambda title, headers, rows: xlsx_bytes(headers, rows, sheet_title=title))
