from sanbao.core.routes import routes
from sanbao.workdays import views

urlpatterns = routes(
    {
        # One name for this year's page and any year's, so the menu marks both.
        "": views.calendar,
        "<int:year>/": views.calendar,
        "due/": views.due,
        "days/": views.day_set,
        "days/<str:day>/delete/": views.day_delete,
        "<int:year>/entered/": views.year_mark,
        "<int:year>/entered/delete/": views.year_unmark,
    }
)

app_name = "workdays"
