from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Model-less: installed so that ``manage.py load_demo`` and
    ``print_demo_logins`` are found."""

    name = "sanbao.demo"
    label = "demo"
