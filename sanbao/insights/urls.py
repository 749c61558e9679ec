from sanbao.core.routes import routes
from sanbao.insights import views

urlpatterns = routes(
    {
        "": views.dashboard,
        **{f"{key.replace('_', '-')}.xlsx": view for key, view in views.XLSX_VIEWS.items()},
    }
)

app_name = "insights"
