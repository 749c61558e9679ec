"""The isolation walk: every URL pattern and every API operation, found from the
URL resolver and the OpenAPI document, requested as anonymous, as another
organisation, as the wrong role and as the right role.

Nobody lists the endpoints: :func:`endpoints` reads them, so a new page or
operation is walked the day it is added. Its path parameters are filled from
:data:`BY_NAME` / :data:`BY_PREFIX` / :data:`ANY_ROUTE` with agent A's records
(``world.py``); a parameter nothing fills is a failure naming the endpoint, so
whoever adds one also says which record it shows. :func:`probe` answers the
failures of one endpoint, an empty list when it keeps agent A's records to
agent A and the platform.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from config.api import api
from sanbao.core.models import AuditEvent
from sanbao.testkit.cast import anonymous_client, api_client_for, login_client_for

# ---------------------------------------------------------------------------
# What is not walked, and why. Everything else is.

PUBLIC_PAGES = {
    # Logging in and out is what an anonymous visitor must be able to do.
    "accounts:login": "the login page, for anonymous visitors by design",
    "accounts:logout": "logging out touches only the caller's own session",
    # The language switch sets a cookie and the caller's own preference.
    "accounts:set_language": "the language switch changes only the caller's language",
    # Consumers have no account: the status page answers a claim number with the
    # telephone on it (rate-limited; tests in claims/tests/test_public_status.py).
    "public:claim_status": "the consumers' status page, public by the specification",
    # The electronic warranty card (issue 16): a URL signed for one serial opens that
    # unit's card, with no personal data; anything else under /w/ is one 404
    # (rate-limited; tests in consumers/tests/test_card_page.py).
    "cards:card": "the warranty card's page, opened by the card's signed URL",
    "cards:card_unsigned": "the one not-found answer of an unsigned card URL",
    "service:phone": "a consumer confirms a mobile number by a one-time code",
    # Registering a purchase from the card (issue 16 item 2): signed like the card,
    # and it needs a number confirmed by a one-time code before it shows or stores
    # anything (tests in consumers/tests/test_registration.py).
    "cards:register": "registering a purchase, from the card's signed URL and a confirmed number",
    # A consumer follows their claims (issue 16 item 4): only the claims whose
    # telephone is the number confirmed by a one-time code in the session; any other
    # claim number is one 404 (rate-limited; consumers/tests/test_follow.py).
    "service:claims": "the claims of the consumer's number confirmed by a one-time code",
    "service:claim_detail": "one claim of the consumer's confirmed number, else one 404",
    # Asking for service (issue 16 item 3): each needs a number confirmed by a one-time
    # code first and shows only the consumer's own claim (tests in
    # consumers/tests/test_service_request.py).
    "cards:card_service": "the card's request for service, opened by the card's signed URL",
    "service:request": "a consumer types the serial and the card number (rate-limited)",
    "service:submitted": "a consumer's own claim, for the number confirmed on the phone",
    # The API's description, not data.
    "api:openapi-json": "the OpenAPI document, describing operations and holding no data",
    "api:openapi-view": "the API's documentation page, describing operations",
    "api:api-root": "django-ninja's root, which answers nothing but a 404",
    # Django's admin: its login page and logout touch only the caller's session.
    "admin:login": "the admin's login page, for anonymous visitors by design",
    "admin:logout": "the admin's logout touches only the caller's own session",
    # The admin's other pages ask for is_staff before anything else; nobody in the cast
    # is staff, so each of them is walked as anonymous, B and the wrong role only
    # (see ADMIN below), never with a right role.
}

# API operations nobody needs to be logged in for: none today.
PUBLIC_OPERATIONS: dict[str, str] = {}

# The admin site's own pages, requested only to see that they send everyone in the
# cast (no one is staff) to the admin's login.
ADMIN_NAMESPACE = "admin"

# ---------------------------------------------------------------------------
# Filling path parameters with agent A's records. The key is a ``World.values``
# key; the first match wins: by URL name (or operation id), by route prefix
# (longest first), then by parameter name on any route.

BY_NAME: dict[tuple[str, str], str] = {
    ("claims:claim_finding_photo", "number"): "photo_claim",
    ("claims:claim_fault_file", "pk"): "fault_file",
    ("attach_claim_finding_photo", "number"): "photo_claim",
    ("statements:statement_pdf", "code"): "org_code",
    ("statements:statement_xlsx", "code"): "org_code",
    ("statements:records_xlsx", "code"): "org_code",
    ("statements:records_csv", "code"): "org_code",
    ("lots:warranty_cards_pdf", "number"): "lot",
    ("get_warranty_cards", "number"): "lot",
    ("returns:anomaly_resolve", "pk"): "anomaly",
    ("returns:contact_attempt", "pk"): "contact_task",
    ("returns:contact_email", "pk"): "contact_task",
}

BY_PREFIX: dict[tuple[str, str], str] = {
    ("accounts/tokens/", "pk"): "token",
    ("accounts/legal-holds/", "pk"): "legal_hold",
    ("catalog/models/", "code"): "=PB10K",
    ("calendar/", "year"): "=2026",
    ("calendar/days/", "day"): "=2026-10-01",
    ("claims/retained-parts/", "pk"): "retained_part",
    ("claims/", "number"): "claim",
    ("claims/", "document"): "scan_document",
    ("claims/", "rule"): "rule",
    ("returns/shipments/", "number"): "shipment",
    ("returns/", "number"): "batch",
    ("returns/", "seq"): "unit_seq",
    ("deliveries/declarations/", "number"): "declaration",
    ("deliveries/declarations/", "pk"): "evidence",
    ("deliveries/", "number"): "delivery",
    ("/api/v1/organisations/", "code"): "org_code",
    ("/api/v1/categories/", "code"): "=power-bank",
    ("/api/v1/models/", "code"): "=PB10K",
    ("/api/v1/calendar/", "year"): "=2026",
    ("/api/v1/calendar/", "day"): "=2026-10-01",
    ("/api/v1/claims/", "number"): "claim",
    ("/api/v1/batches/", "number"): "batch",
    ("/api/v1/shipments/", "number"): "shipment",
    ("/api/v1/deliveries/", "number"): "delivery",
    ("/api/v1/declarations/", "number"): "declaration",
    ("/api/v1/statements/", "number"): "org_code",
}


ANY_ROUTE: dict[str, str] = {
    "serial": "unit_serial",
    "candidate": "=PB20K",
    "rule": "rule",
    "line_no": "line_no",
    "part_id": "retained_part",
    "anomaly_id": "anomaly",
    "task_id": "contact_task",
    "unit_id": "returned_unit",
    "evidence_id": "evidence",
    # Required query parameters of operations.
    "return_org": "org_code",
    "start": "=2026-09-01",
    "end": "=2026-09-30",
}

# The admin's parameters: the admin refuses before it reads any.
ADMIN_VALUES = {
    "object_id": "1",
    "id": "1",
    "content_type_id": "1",
    "app_label": "accounts",
    "url": "x",
}


def _from_route(route: str, values: dict[str, str]) -> str:
    """An unnamed pattern's URL (the admin's catch-all and redirects): its route
    with the values put in."""
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route)
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values[m.group(1)], url)
    return "/" + url.replace("^", "").replace("$", "")


def value_of(world, endpoint, param: str) -> tuple[str, bool] | None:
    """The value of ``param`` for ``endpoint`` and whether it is agent A's own
    record (a literal ``=…`` is a shared catalog or calendar value); None if the
    tables do not say."""
    key = BY_NAME.get((endpoint.name, param))
    if key is None:
        prefixes = [p for p, q in BY_PREFIX if q == param and endpoint.route.startswith(p)]
        if prefixes:
            key = BY_PREFIX[(max(prefixes, key=len), param)]
    if key is None:
        key = ANY_ROUTE.get(param)
    if key is None:
        return None
    if key.startswith("="):
        return key[1:], False
    if key not in world.values:
        return None
    return world.values[key], True


# ---------------------------------------------------------------------------
# Finding the endpoints


@dataclass(frozen=True)
class Endpoint:
    kind: str  # "page", "api" or "admin"
    name: str  # "claims:claim_detail", or the operation id
    route: str  # "claims/<str:number>/", or "/api/v1/claims/{number}"
    params: tuple[str, ...]
    method: str = "GET"  # an operation's; pages are requested with GET and POST
    body_format: str = "json"  # an operation's body: "json" or "multipart"
    body: dict | None = None  # an operation's smallest body its schema accepts
    query: tuple[str, ...] = ()  # an operation's required query parameters

    def __str__(self) -> str:
        return f"{self.name} ({self.method if self.kind == 'api' else 'page'} {self.route})"


def _patterns(resolver, prefix="", namespace=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _patterns(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            if p.name is None:
                name = f"{namespace}:" if namespace else ""
            else:
                name = f"{namespace}:{p.name}" if namespace else p.name
            yield prefix + str(p.pattern), name, tuple(p.pattern.regex.groupindex)


@dataclass
class Found:
    walked: list[Endpoint]  # pages, the admin's and operations
    public: list[str]  # names allow-listed (pages and operations)
    unnamed: list[str]  # patterns the walk cannot build: a failure
    api_patterns: int  # the API's URL patterns, walked as their operations
    total_patterns: int
    total_operations: int

    def coverage(self) -> str:
        pages = sum(1 for e in self.walked if e.kind != "api")
        operations = sum(1 for e in self.walked if e.kind == "api")
        public_pages = len(set(self.public) & set(PUBLIC_PAGES))
        return (
            f"{pages} of {self.total_patterns} URL patterns walked as pages, "
            f"{self.api_patterns} as the API's operations, {public_pages} public; "
            f"{operations} of {self.total_operations} API operations walked, "
            f"{len(self.public) - public_pages} public"
        )

    def complete(self) -> bool:
        """Every pattern and operation is walked or allow-listed, and no other."""
        pages = sum(1 for e in self.walked if e.kind != "api")
        operations = sum(1 for e in self.walked if e.kind == "api")
        public_pages = len(set(self.public) & set(PUBLIC_PAGES))
        public_operations = len(self.public) - public_pages
        return (
            not self.unnamed
            and pages + self.api_patterns + public_pages == self.total_patterns
            and operations + public_operations == self.total_operations
        )


def endpoints(urlconf: str | None = None) -> Found:
    """Every URL pattern of ``urlconf`` (the project's by default) and every
    operation of the API's OpenAPI document."""
    walked: list[Endpoint] = []
    public: list[str] = []
    unnamed: list[str] = []
    api_patterns = 0
    patterns = list(_patterns(get_resolver(urlconf)))
    operation_ids = set()
    schema = api.get_openapi_schema()
    operations = []
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            operation_ids.add(op["operationId"])
            operations.append((path, method.upper(), op))
    for route, name, params in patterns:
        if name == f"{ADMIN_NAMESPACE}:":
            walked.append(Endpoint("admin", name, route, params))
        elif not name or name.endswith(":"):
            unnamed.append(route)
        elif name in PUBLIC_PAGES:
            public.append(name)
        elif name.startswith("api:"):
            # Walked as operations, from the document, below; a pattern of the API
            # that is no operation and not allow-listed is a failure.
            if name.removeprefix("api:") not in operation_ids:
                unnamed.append(f"{route} ({name}: neither an operation nor allow-listed)")
            else:
                api_patterns += 1
        elif name.split(":")[0] == ADMIN_NAMESPACE:
            walked.append(Endpoint("admin", name, route, params))
        else:
            walked.append(Endpoint("page", name, route, params))
    for path, method, op in operations:
        if op["operationId"] in PUBLIC_OPERATIONS:
            public.append(op["operationId"])
            continue
        content = (op.get("requestBody") or {}).get("content", {})
        body_format = "multipart" if "multipart/form-data" in content else "json"
        body = None
        if content:
            body = smallest(schema, next(iter(content.values())).get("schema", {})) or {}
        params = tuple(re.findall(r"\{([^}]+)\}", path))
        query = tuple(
            p["name"] for p in op.get("parameters", []) if p["in"] == "query" and p.get("required")
        )
        walked.append(
            Endpoint("api", op["operationId"], path, params, method, body_format, body, query)
        )
    return Found(walked, public, unnamed, api_patterns, len(patterns), len(operations))


def smallest(document: dict, schema: dict, depth: int = 0):
    """The smallest value ``schema`` accepts: its required properties only, the
    first of an enum or of ``anyOf``, a date inside the bounds. Sent as agent B or
    the wrong role, a body that passes validation reaches the operation itself,
    which must then refuse (a 422 would say nothing about the record)."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = document["components"]["schemas"][name]
    if depth > 6:
        return None
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [o for o in schema[key] if o.get("type") != "null"]
            return smallest(document, options[0], depth + 1) if options else None
    if "default" in schema:
        return schema["default"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {
            name: smallest(document, props[name], depth + 1)
            for name in schema.get("required", [])
            if name in props
        }
    if kind == "array":
        item = smallest(document, schema.get("items", {}), depth + 1)
        return [item] * max(1, schema.get("minItems", 1))
    if kind == "string":
        fmt = schema.get("format")
        if fmt == "binary":
            return BINARY
        if fmt == "date":
            return "2026-09-01"
        if fmt == "date-time":
            return "2026-09-01T10:00:00+08:00"
        return "x" * max(1, schema.get("minLength", 1))
    if kind in ("integer", "number"):
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return True
    return None


BINARY = object()  # a file field: a one-pixel PNG is sent


def _multipart(body: dict) -> dict:
    from sanbao.returns.tests.conftest import photo

    return {k: photo() if v is BINARY else v for k, v in body.items() if v is not None}


# ---------------------------------------------------------------------------
# Requesting them


def build_url(world, endpoint) -> tuple[str, bool]:
    """The endpoint's URL with agent A's records (in its path and its required
    query parameters), and whether it names a record of A's (else it is a list,
    a form or a shared page). Raises LookupError naming the parameter nothing
    fills."""
    values: dict[str, str] = {}
    owned = False
    for param in endpoint.params:
        if endpoint.kind == "admin":
            if param not in ADMIN_VALUES:
                raise LookupError(param)
            values[param] = ADMIN_VALUES[param]
            continue
        found = value_of(world, endpoint, param)
        if found is None:
            raise LookupError(param)
        values[param], mine = found
        owned = owned or mine
    if endpoint.kind == "api":
        url = endpoint.route
        for param, value in values.items():
            url = url.replace("{" + param + "}", value)
        query = {}
        for param in endpoint.query:
            found = value_of(world, endpoint, param)
            if found is None:
                raise LookupError(param)
            query[param], mine = found
            owned = owned or mine
        return url + (f"?{urlencode(query)}" if query else ""), owned
    if endpoint.name.endswith(":"):
        return _from_route(endpoint.route, values), owned
    return reverse(endpoint.name, kwargs=values), owned


# Who may be the right person for a record of A's, tried in this order: its own
# clerk first, then the platform's roles (the workflows' platform-only steps).
RIGHT = [
    "agent_a_clerk",
    "platform_staff",
    "platform_manager",
    "administrator",
    "cs_commissioner",
    "commercial_commissioner",
]
OTHER_ORG = "agent_b_clerk"  # the same role as A's owner, in another organisation
# A service outlet's technician: no returns, deliveries, statements, holds or
# audit, and only the claims it handles (none of A's).
WRONG_ROLE = "outlet_tech"
# Endpoints where the wrong role legitimately sees A's record, with the reason.
WRONG_ROLE_SEES = {
    # Tenancy table: an outlet finds any unit by its exact serial, to repair it.
    "catalog:unit_detail": "an outlet looks up one exact serial (docs/architecture.md)",
    "get_unit": "an outlet looks up one exact serial (docs/architecture.md)",
}

# A refusal that says nothing about whether the record exists: the role (403),
# not found (404), a method the view does not take (405), and, for the API, a body
# refused before anything is looked up (415, 422: the same for any number).
REFUSED = {403, 404, 405}
REFUSED_API = REFUSED | {415, 422}

# Operations whose smallest body built from the OpenAPI document is still refused
# (422) before the operation looks the record up, with the reason. Any other such
# 422 is a failure: the request proved nothing about the record.
BODY_REFUSED_FIRST: dict[str, str] = {}


def _send(client, method: str, url: str, endpoint):
    send = getattr(client, method.lower())
    if method in ("GET", "DELETE", "HEAD"):
        return send(url)
    if endpoint.kind == "api" and endpoint.body_format == "json":
        body = json.dumps(endpoint.body if endpoint.body is not None else {})
        return send(url, data=body, content_type="application/json")
    if endpoint.kind == "api":
        return send(url, data=_multipart(endpoint.body or {}))
    return send(url, data={})


def request(client, method: str, url: str, endpoint):
    """One request, inside a savepoint rolled back after it: the walk's records
    stay as they were. Returns the response and the audit events it wrote (every
    write writes one: tests/test_services_audit.py), the write witness."""
    with transaction.atomic():
        before = AuditEvent.objects.count()
        last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        response = _send(client, method, url, endpoint)
        written = []
        if AuditEvent.objects.count() != before:
            new = AuditEvent.objects.filter(id__gt=last)
            written = list(new.values("target_repr", "action", "data"))
        transaction.set_rollback(True)
    return response, written


def _body(response) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode("utf-8", "replace")


def _leaks(world, url, response, written) -> list[str]:
    """A's numbers and names in the answer or in what was written, those the
    caller typed in the URL aside (an error page may repeat its address)."""
    text = _body(response)
    hidden = [m for m in world.markers if m and m not in url]
    seen = [m for m in hidden if m in text]
    for event in written:
        blob = json.dumps(event, default=str, ensure_ascii=False)
        seen += [f"audit event {event['action']} about {m}" for m in world.markers if m in blob]
    return seen


def _is_login(response, admin: bool) -> bool:
    if response.status_code != 302:
        return False
    login = "/admin/login/" if admin else resolve_url(settings.LOGIN_URL)
    return response.url.split("?")[0] == login


def make_clients(cast) -> dict:
    """A browser session and an API token for each persona, made once: the walk
    sends hundreds of requests. A view's exception is answered as a 500, so that
    it is reported with the others rather than ending the walk."""
    people = {"anonymous", OTHER_ORG, WRONG_ROLE, *RIGHT}
    clients: dict[str, dict] = {"page": {}, "api": {}}
    for who in people:
        if who == "anonymous":
            page = api_client = anonymous_client()
        else:
            user = getattr(cast, who)
            page, api_client = login_client_for(user), api_client_for(user)
        for kind, client in (("page", page), ("api", api_client)):
            client.raise_request_exception = False
            clients[kind][who] = client
    return clients


def probe(world, endpoint, clients) -> list[str]:
    """The failures of ``endpoint``: each as ``<endpoint> as <who>: <what>``."""
    failures: list[str] = []
    try:
        url, owned = build_url(world, endpoint)
    except LookupError as missing:
        return [
            f"{endpoint}: nothing fills its parameter {missing}; add agent A's record "
            "for it to tests/isolation/world.py and the lookup table in walk.py"
        ]
    api_call = endpoint.kind == "api"
    admin = endpoint.kind == "admin"
    methods = [endpoint.method] if api_call else ["GET", "POST"]
    clients = clients["api" if api_call else "page"]

    def fail(who, method, response, what):
        failures.append(f"{endpoint} as {who}: {method} {url} -> {response.status_code}: {what}")

    # Anonymous: asked to log in, and nothing else.
    for method in methods:
        response, written = request(clients["anonymous"], method, url, endpoint)
        if api_call:
            ok = response.status_code == 401
        else:
            ok = _is_login(response, admin) or response.status_code in (401, 403, 404, 405)
        if not ok:
            fail("anonymous", method, response, "not asked to log in")
        if written:
            fail("anonymous", method, response, f"wrote {len(written)} audit event(s)")

    # Another organisation, and the wrong role: refused on A's records, never a
    # write, and none of A's numbers or names in what they get.
    for who in (OTHER_ORG, WRONG_ROLE):
        if who == WRONG_ROLE and endpoint.name in WRONG_ROLE_SEES:
            continue
        for method in methods:
            response, written = request(clients[who], method, url, endpoint)
            status = response.status_code
            if status >= 500:
                fail(who, method, response, "a server error")
                continue
            if admin:
                if not _is_login(response, admin=True):
                    fail(who, method, response, "the admin let a non-staff user in")
                continue
            refused = REFUSED_API if api_call else REFUSED
            if api_call and status == 422 and endpoint.name not in BODY_REFUSED_FIRST:
                fail(who, method, response, f"the smallest body was refused: {_body(response)}")
            if owned and status not in refused:
                fail(who, method, response, f"agent A's record answered, not {sorted(refused)}")
            if owned and written:
                fail(who, method, response, f"wrote {len(written)} audit event(s)")
            leaks = _leaks(world, url, response, written)
            if leaks:
                fail(who, method, response, f"shows agent A's {', '.join(leaks)}")

    # The right role: someone reaches A's record (else the walk above proved
    # nothing: the URL named no record), and without a server error.
    if owned and not admin:
        reached = []
        for who in RIGHT:
            response, _ = request(clients[who], methods[0], url, endpoint)
            if response.status_code == 405 and len(methods) > 1:
                response, _ = request(clients[who], methods[1], url, endpoint)
            if response.status_code >= 500:
                fail(who, methods[0], response, "a server error for the right role")
                break
            proves = not (
                api_call and response.status_code == 422 and endpoint.name not in BODY_REFUSED_FIRST
            )
            if response.status_code not in (403, 404) and proves:
                reached.append(who)
                break
        if not reached:
            failures.append(
                f"{endpoint}: nobody in {RIGHT} reaches {url}; the lookup table "
                "names no record of agent A's, or the wrong one"
            )
    return failures
