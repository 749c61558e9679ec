"""The search box's page (issue 15): one record found opens its page; several are
listed by kind; none, or a text that cannot be searched for, is said so."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from sanbao.home.search import HITS_PER_KIND, PREFIX_MIN, record_search


@login_required
@require_GET
def search(request):
    result = record_search(actor=request.user, text=request.GET.get("q"))
    if result.only is not None:
        return redirect(result.only.url)
    context = {
        "result": result,
        "search_text": result.text,  # the box in the top bar shows it again
        "hits_per_kind": HITS_PER_KIND,
        "prefix_min": PREFIX_MIN,
    }
    # A text that cannot be searched for is refused (400), with the reason shown.
    return render(request, "home/search.html", context, status=400 if result.problem else 200)
