"""Purchases an agency made off the platform (its own contracts, the Public Procurement Service, other
platforms): recorded with evidence by the agency, verified by the support center before they count."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from market.accounts.models import Organization, OrgKind
from market.core import audit, files
from market.core.errors import NotAllowed, ValidationFailed
from market.core.states import transition
from market.core.timeutil import seoul_today, utcnow
from market.extensions import db
from market.reports.models import OFF_PLATFORM_CHANNELS, OffPlatformPurchase
from market.reports.permissions import can_change_off_platform, can_record_off_platform
from market.reports.states import OFF_PLATFORM

PURCHASE_CATEGORIES = ("goods", "services", "works")
MAX_AMOUNT_KRW = 10**12


@dataclass
class PurchaseData:
    enterprise_id: int | None
    contract_date: date | None
    amount_krw: int | None
    category: str
    channel: str
    description: str


def enterprises():
    """The enterprises an agency may name: approved ones of the platform, whose certifications are on file."""
    return db.session.execute(sa.select(Organization.id, Organization.name)
                              .where(Organization.kind == OrgKind.ENTERPRISE, Organization.status == "approved")
                              .order_by(Organization.name)).all()


def agency_purchases(agency_id: int):
    return (sa.select(OffPlatformPurchase).where(OffPlatformPurchase.agency_id == agency_id)
            .order_by(OffPlatformPurchase.contract_date.desc(), OffPlatformPurchase.id.desc())
            .options(selectinload(OffPlatformPurchase.enterprise)))


def review_queue(status: str):
    return (sa.select(OffPlatformPurchase).where(OffPlatformPurchase.status == status)
            .order_by(OffPlatformPurchase.created_at, OffPlatformPurchase.id)
            .options(selectinload(OffPlatformPurchase.enterprise), selectinload(OffPlatformPurchase.agency)))


def awaiting_verification() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(OffPlatformPurchase)
                             .where(OffPlatformPurchase.status == "recorded"))


def _check(data: PurchaseData) -> None:
    if data.enterprise_id is None or db.session.scalar(
            sa.select(Organization.id).where(Organization.id == data.enterprise_id,
                                             Organization.kind == OrgKind.ENTERPRISE,
                                             Organization.status == "approved")) is None:
        raise ValidationFailed(_("Choose an enterprise of the platform."))
    if data.contract_date is None or data.contract_date > seoul_today() or data.contract_date.year < 2000:
        raise ValidationFailed(_("The contract date must be a day in the past, from 2000 on."))
    if not isinstance(data.amount_krw, int) or not 0 < data.amount_krw <= MAX_AMOUNT_KRW:
        raise ValidationFailed(_("The amount is a whole, positive number of won."))
    if data.category not in PURCHASE_CATEGORIES:
        raise ValidationFailed(_("Choose goods, services or works."))
    if data.channel not in OFF_PLATFORM_CHANNELS:
        raise ValidationFailed(_("Choose where the purchase was made."))
    if not data.description.strip():
        raise ValidationFailed(_("Describe what was bought."))


def _snapshot(purchase: OffPlatformPurchase) -> dict:
    return {"enterprise_id": purchase.enterprise_id, "contract_date": purchase.contract_date.isoformat(),
            "amount_krw": purchase.amount_krw, "category": purchase.category, "channel": purchase.channel,
            "description": purchase.description, "evidence": purchase.evidence_name}


def _store_evidence(purchase: OffPlatformPurchase, upload: files.Upload) -> None:
    if purchase.evidence_stored_name:
        files.remove_after_commit(db.session, purchase.evidence_stored_name)
    stored_name = files.new_stored_name(upload.kind)
    files.write(db.session, upload, stored_name)
    purchase.evidence_stored_name, purchase.evidence_name = stored_name, upload.original_name
    purchase.evidence_kind, purchase.evidence_size_bytes = upload.kind, upload.size


def record(actor, data: PurchaseData, evidence) -> OffPlatformPurchase:
    """An agency records a purchase; `evidence` is the uploaded document (a FileStorage), required."""
    if not can_record_off_platform(actor):
        raise NotAllowed(_("Only public agencies record their purchases."))
    _check(data)
    if not evidence or not evidence.filename:
        raise ValidationFailed(_("Attach the evidence (contract, invoice or receipt)."))
    upload = files.read_upload(evidence)
    purchase = OffPlatformPurchase(agency_id=actor.organization_id, recorded_by_id=actor.id, status="recorded",
                                   evidence_stored_name="", description=data.description.strip(),
                                   **{k: getattr(data, k) for k in ("enterprise_id", "contract_date", "amount_krw",
                                                                      "category", "channel")})
    _store_evidence(purchase, upload)
    db.session.add(purchase)
    db.session.flush()
    audit.record(actor, "off_platform_purchase.create", purchase, after=_snapshot(purchase))
    return purchase


def update(actor, purchase: OffPlatformPurchase, data: PurchaseData, evidence=None) -> None:
    """The agency corrects its record (a new document optional); a rejected one goes back for verification."""
    if not can_change_off_platform(actor, purchase):
        raise NotAllowed(_("A verified purchase can no longer be changed."))
    _check(data)
    upload = files.read_upload(evidence) if evidence and evidence.filename else None
    before = _snapshot(purchase)
    for name in ("enterprise_id", "contract_date", "amount_krw", "category", "channel"):
        setattr(purchase, name, getattr(data, name))
    purchase.description = data.description.strip()
    if upload:
        _store_evidence(purchase, upload)
    audit.record(actor, "off_platform_purchase.update", purchase, before=before, after=_snapshot(purchase))
    if purchase.status == "rejected":
        transition(OFF_PLATFORM, purchase, "resubmit", actor)
        purchase.status_note = None
    db.session.flush()


def delete(actor, purchase: OffPlatformPurchase) -> None:
    if not can_change_off_platform(actor, purchase):
        raise NotAllowed(_("A verified purchase can no longer be deleted."))
    audit.record(actor, "off_platform_purchase.delete", purchase, before=_snapshot(purchase))
    files.remove_after_commit(db.session, purchase.evidence_stored_name)
    db.session.delete(purchase)
    db.session.flush()


def decide(actor, purchase: OffPlatformPurchase, action: str, note: str | None) -> None:
    """The support center verifies the purchase (it counts from now on) or rejects it with a reason."""
    transition(OFF_PLATFORM, purchase, action, actor, note)
    purchase.status_note = (note or "").strip() or None
    purchase.decided_at, purchase.decided_by_id = utcnow(), actor.id
    db.session.flush()
