"""Return-batch pages, one module per part of the work as in ``services``: the
batch list and page (``batches``), the packing list (``packing_list``), receipt
and its anomalies (``receipt``), the workshop (``workshop``), the turnaround queue
(``queue``), shipments (``shipments``) and the papers to download
(``documents``).

Views stay thin: selectors and services check the actor's role, tenancy, the
batch's state and the policy, and raise domain errors. An action view runs the
service through ``sanbao.core.web.attempt``, which maps a 400 or 409 onto its
form; the view answers the page (or, for htmx, its fragment) with that status.
403 and 404 go to DomainErrorMiddleware. A successful action redirects (PRG) or,
for htmx, answers the updated fragment. Every page works without JavaScript.
"""
