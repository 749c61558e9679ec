from django.apps import AppConfig


class HomeConfig(AppConfig):
    """Model-less: the home page, the navigation and the context processor feeding it."""

    name = "sanbao.home"
    label = "home"
