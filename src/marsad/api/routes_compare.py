"""marsad held against reference datasets (UCDP GED, ACLED): the same comparison as `marsad compare`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query
from sqlalchemy import Engine

from marsad import store
from marsad.api.params import filters, get_engine
from marsad.reference.compare import compare
from marsad.store.reference import list_references

router = APIRouter(prefix="/api", tags=["reference"])

EngineDep = Annotated[Engine, Depends(get_engine)]
FiltersDep = Annotated[store.Filters, Depends(filters)]


@router.get("/references", summary="The reference datasets stored beside marsad's events")
def references(engine: EngineDep) -> list[dict[str, Any]]:
    return [
        {
            "name": r.name,
            "kind": r.kind,
            "n_events": r.n_events,
            "first": r.first.isoformat() if r.first else None,
            "last": r.last.isoformat() if r.last else None,
            "imported_at": r.imported_at.isoformat(),
        }
        for r in list_references(engine)
    ]


@router.get(
    "/compare",
    summary="marsad's events against a reference: matched (deaths compared), only marsad, only the reference, "
    "by month and governorate",
)
def compare_view(
    engine: EngineDep,
    where: FiltersDep,
    reference: Annotated[str, Query(alias="with", max_length=64, description="Reference dataset name.")],
    days: Annotated[int, Query(ge=0, le=30, description="Days apart two events may be.")] = 1,
    km: Annotated[float, Query(ge=0, le=500, description="Km apart, across a governorate border.")] = 25.0,
    detail: Annotated[bool, Query(description="Every match and unmatched id too.")] = False,
) -> dict[str, Any]:
    if where.kind == "tally":
        raise HTTPException(422, "a comparison is over events: kind=tally does not apply")
    try:
        result = compare(engine, reference, where, days=days, km=km)
    except LookupError as exc:
        raise HTTPException(404, str(exc.args[0])) from None
    payload = result.to_dict()
    if not detail:
        for key in ("matches", "only_marsad_ids", "only_reference_ids"):
            payload.pop(key)
    for key in ("since", "until"):
        payload[key] = payload[key].isoformat() if payload[key] else None
    return payload
