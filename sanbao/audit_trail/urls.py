from sanbao.audit_trail import views
from sanbao.core.routes import routes

urlpatterns = routes(
    {
        "": views.event_list,
        "export.xlsx": (views.event_list_xlsx, "event_list_xlsx"),
    }
)

app_name = "audit_trail"
