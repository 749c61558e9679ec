"""The audit trail in the API: the same search as the page, paged (``audit.view``)."""

from __future__ import annotations

from ninja import Query, Router

from sanbao.audit_trail import documents, selectors
from sanbao.audit_trail.schemas import AuditEventOut, AuditFilters
from sanbao.core.api import COMMON_ERRORS, ErrorOut, Page, list_export_route, paginate

router = Router(tags=["audit"])


@router.get("/audit-events", response={200: Page[AuditEventOut], 400: ErrorOut, **COMMON_ERRORS})
def list_audit_events(request, filters: Query[AuditFilters]):
    data = filters.dict(exclude={"page", "page_size"})
    found = paginate(
        selectors.event_list(actor=request.auth, **data),
        page=filters.page,
        page_size=filters.page_size,
    )
    found["items"] = [
        {
            "id": row.event.pk,
            "at": row.event.at,
            "actor": row.event.actor_label,
            "organisation": row.organisation.code if row.organisation else None,
            "action": row.event.action,
            "label": str(row.label),
            "record_type": row.event.target_type,
            "record_id": row.event.target_id,
            "record": row.event.target_repr,
            "url": row.url,
            "data": row.event.data or {},
        }
        for row in selectors.rows(found["items"])
    ]
    return found


list_export_route(
    router,
    "/audit-events/export.xlsx",
    "export_audit_events",
    filters=AuditFilters,
    select=selectors.event_list,
    export=documents.EVENTS,
    description="The events matching the filters, as the audit trail's page shows them",
)
