from __future__ import annotations

from ninja import Router, Status

from sanbao.accounts import selectors, services
from sanbao.accounts.roles import OrgKind
from sanbao.accounts.schemas import MeOut, OrganisationIn, OrganisationOut
from sanbao.core.api import COMMON_ERRORS, WRITE_ERRORS, Page, PageNumber, PageSize, paginate

router = Router(tags=["accounts"])
OrganisationSort = selectors.ORGANISATION_SORTS.literal()


@router.get("/me", response={200: MeOut, **COMMON_ERRORS})
def get_me(request):
    return request.auth


@router.get("/organisations", response={200: Page[OrganisationOut], **COMMON_ERRORS})
def list_organisations(
    request,
    kind: OrgKind | None = None,
    page: PageNumber = 1,
    page_size: PageSize = None,
    sort: OrganisationSort | None = None,
):
    qs = selectors.organisation_list(actor=request.auth, kind=kind, sort=sort)
    return paginate(qs, page=page, page_size=page_size)


@router.get("/organisations/{code}", response={200: OrganisationOut, **COMMON_ERRORS})
def get_organisation(request, code: str):
    return selectors.organisation_get(actor=request.auth, code=code)


@router.post("/organisations", response={201: OrganisationOut, **WRITE_ERRORS})
def create_organisation(request, payload: OrganisationIn):
    data = payload.dict()
    return Status(201, services.organisation_create(actor=request.auth, **data))
