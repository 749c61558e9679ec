"""The WSGI application gunicorn serves (``config.wsgi:application``).

Python's cyclic garbage collector walks every object it tracks in the oldest
generation on each full collection: after start-up and the first requests (the URL
resolver, compiled templates, translation catalogues, the settings' and models'
own structures) that is some 200,000 objects that live as long as the process,
and a full collection every few requests cost 6–10 ms of each request's CPU
(issue 15). :class:`FreezeLongLived` moves what is alive after the 1st, 10th
and 100th request into the collector's permanent generation (``gc.freeze``),
after one collection: what a page allocates is still collected, what the process
keeps is no longer walked. Each worker does it for itself, after the fork."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# The requests after which what is alive is taken to live as long as the process.
FREEZE_AFTER = frozenset({1, 10, 100})


class FreezeLongLived:
    def __init__(self, app, after=FREEZE_AFTER):
        self.app = app
        self.after = after
        self.served = 0

    def __call__(self, environ, start_response):
        try:
            return self.app(environ, start_response)
        finally:
            self.served += 1
            if self.served in self.after:
                gc.collect()
                gc.freeze()


application = FreezeLongLived(get_wsgi_application())
