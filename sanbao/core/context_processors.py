from django.urls import NoReverseMatch, reverse

from sanbao.accounts.roles import can
from sanbao.core.navigation import NAVIGATION


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    current = getattr(getattr(request, "resolver_match", None), "view_name", "")
    for name, label, perm in NAVIGATION:
        if perm and not can(user, perm):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "active": current == name})
    return {"nav_items": items}
