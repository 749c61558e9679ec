from django.urls import path

from sanbao.workdays import views

app_name = "workdays"

urlpatterns = [
    # One name for this year's page and any year's, so the menu marks both.
    path("", views.calendar, name="calendar"),
    path("<int:year>/", views.calendar, name="calendar"),
    path("due/", views.due, name="due"),
    path("days/", views.day_set, name="day_set"),
    path("days/<str:day>/delete/", views.day_delete, name="day_delete"),
    path("<int:year>/entered/", views.year_mark, name="year_mark"),
    path("<int:year>/entered/delete/", views.year_unmark, name="year_unmark"),
]
