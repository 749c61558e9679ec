from django.urls import NoReverseMatch, reverse

from sanbao.accounts.roles import can
from sanbao.home.navigation import NAVIGATION


def _entry(user, current: str, name: str, label, perm) -> dict | None:
    if perm and not can(user, perm):
        return None
    try:
        url = reverse(name)
    except NoReverseMatch:
        return None
    return {"url": url, "label": label, "active": current == name}


def navigation(request):
    """The menu entries the logged-in user may use; a group keeps its usable entries."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    current = getattr(getattr(request, "resolver_match", None), "view_name", "")
    items = []
    for item in NAVIGATION:
        if len(item) == 2:
            label, entries = item
            children = [e for e in (_entry(user, current, *x) for x in entries) if e]
            if children:
                items.append(
                    {
                        "label": label,
                        "children": children,
                        "active": any(c["active"] for c in children),
                    }
                )
        else:
            entry = _entry(user, current, *item)
            if entry:
                items.append(entry)
    return {"nav_items": items}
