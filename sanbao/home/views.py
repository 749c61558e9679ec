from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from sanbao.accounts.roles import PLATFORM_ROLES, Role, can
from sanbao.catalog.selectors import home_figures
from sanbao.home.work import work_for


@login_required
def home(request):
    """The home page, by role: the work waiting (``work.work_for``), each count a
    link to the list of those records; then shortcuts to what this role does most."""
    user = request.user
    if user.role in PLATFORM_ROLES:
        audience = "platform"
    elif user.role in (Role.AGENT_CLERK, Role.ENTERPRISE_CLERK):
        audience = "return_unit"
    elif user.role == Role.OUTLET_TECHNICIAN:
        audience = "outlet"
    else:
        audience = "none"
    context = {
        "audience": audience,
        "can_import": can(user, "units.import"),
        "can_create_claims": can(user, "claims.create"),
        "can_view_units": can(user, "units.view"),
        "can_view_orgs": can(user, "organisations.view"),
    }
    context.update(home_figures(actor=user))
    context["work"] = work_for(user)
    return render(request, "home/home.html", context)
