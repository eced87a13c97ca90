"""Certifications: submitted by the enterprise, verified by the support center, reminded before expiry."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from market.accounts.models import Organization
from market.accounts.services import city_admins
from market.catalog import kinds
from market.catalog.models import Certification
from market.catalog.permissions import can_edit_enterprise
from market.catalog.states import CERTIFICATION
from market.core import audit
from market.core.errors import NotAllowed, ValidationFailed
from market.core.mail import queue_mail, site_url_for
from market.core.notifications import people_to_tell
from market.core.states import transition
from market.core.timeutil import seoul_today, utcnow
from market.extensions import db


def valid_kinds_by_enterprise(organization_ids, day: date | None = None) -> dict[int, list[str]]:
    """For a page of enterprises, the kinds each holds validly on `day`: one query, not one per row."""
    if not organization_ids:
        return {}
    day = day or seoul_today()
    rows = db.session.execute(
        sa.select(Certification.organization_id, Certification.kind)
        .where(Certification.organization_id.in_(list(organization_ids)), Certification.valid_on(day))
        .distinct()).all()
    order = list(kinds.CERTIFICATION_KINDS)
    result: dict[int, list[str]] = {}
    for org_id, kind in rows:
        result.setdefault(org_id, []).append(kind)
    for held in result.values():
        held.sort(key=order.index)
    return result


def submit_certification(actor, organization: Organization, *, kind: str, number: str | None,
                         designated_by: str | None, valid_from: date, valid_to: date | None) -> Certification:
    if not can_edit_enterprise(actor, organization):
        raise NotAllowed(_("You may not edit this enterprise."))
    certification = Certification(organization=organization, status="pending")
    _fill_certification(certification, kind, number, designated_by, valid_from, valid_to)
    db.session.add(certification)
    db.session.flush()
    audit.record(actor, "certification.submit", certification, after=_certification_facts(certification))
    for admin in city_admins():
        queue_mail(admin.email, "catalog/certification_to_verify", admin.locale or "ko",
                   certification=certification, organization=organization,
                   kind_label=kinds.CERTIFICATION_KINDS[kind],
                   url=site_url_for("catalog.admin_certifications"))
    return certification


def _fill_certification(certification, kind, number, designated_by, valid_from, valid_to) -> None:
    if kind not in kinds.CERTIFICATION_KINDS:
        raise ValidationFailed(_("Choose a kind of certification."))
    if kind in kinds.NEEDS_NUMBER and not (number or "").strip():
        raise ValidationFailed(_("This certification needs its number."))
    if kind == kinds.PRELIMINARY:
        if designated_by not in kinds.DESIGNATIONS:
            raise ValidationFailed(_("Say who designated the preliminary social enterprise."))
        if valid_to is None:
            valid_to = _years_later(valid_from, kinds.PRELIMINARY_YEARS)
    else:
        designated_by = None
    if valid_to is not None and valid_to < valid_from:
        raise ValidationFailed(_("The end of validity comes before its start."))
    certification.kind = kind
    certification.number = (number or "").strip() or None
    certification.designated_by = designated_by
    certification.valid_from, certification.valid_to = valid_from, valid_to


def _years_later(day: date, years: int) -> date:
    from datetime import timedelta

    try:
        return day.replace(year=day.year + years) - timedelta(days=1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _certification_facts(certification: Certification) -> dict:
    return {"kind": certification.kind, "number": certification.number,
            "valid_from": certification.valid_from.isoformat(),
            "valid_to": certification.valid_to.isoformat() if certification.valid_to else None,
            "status": certification.status}


def update_certification(actor, certification: Certification, **values) -> None:
    """An enterprise corrects a certification; a verified one goes back to the city for verification."""
    if not can_edit_enterprise(actor, certification.organization):
        raise NotAllowed(_("You may not edit this enterprise."))
    if certification.status == "revoked":
        raise ValidationFailed(_("A revoked certification cannot be changed; add a new one."))
    before = _certification_facts(certification)
    _fill_certification(certification, values["kind"], values.get("number"), values.get("designated_by"),
                        values["valid_from"], values.get("valid_to"))
    certification.status = "pending"
    certification.verified_at = certification.verified_by_id = None
    certification.reminded_60_at = certification.reminded_14_at = None
    audit.record(actor, "certification.update", certification, before=before,
                 after=_certification_facts(certification))


def decide_certification(actor, certification: Certification, action: str, note: str | None) -> None:
    transition(CERTIFICATION, certification, action, actor, note)
    certification.status_note = (note or "").strip() or None
    if certification.status == "verified":
        certification.verified_at, certification.verified_by_id = utcnow(), actor.id


REMINDER_DAYS = (60, 14)


def send_expiry_reminders(today: date | None = None) -> int:
    """E-mail each enterprise 60 and 14 days before a verified certification expires; once per threshold."""
    from datetime import timedelta

    today = today or seoul_today()
    sent = 0
    for days in REMINDER_DAYS:
        column = Certification.reminded_60_at if days == 60 else Certification.reminded_14_at
        due = db.session.scalars(
            sa.select(Certification)
            .where(Certification.status == "verified", Certification.valid_to.is_not(None),
                   Certification.valid_to >= today, Certification.valid_to <= today + timedelta(days=days),
                   column.is_(None))
            .options(selectinload(Certification.organization).selectinload(Organization.users))).all()
        for certification in due:
            for user in people_to_tell(certification.organization):
                queue_mail(user.email, "catalog/certification_expiry", user.locale or "ko", user=user,
                           certification=certification, kind_label=kinds.CERTIFICATION_KINDS[certification.kind],
                           days_left=(certification.valid_to - today).days)
                sent += 1
            setattr(certification, "reminded_60_at" if days == 60 else "reminded_14_at", utcnow())
            if days == 60 and (certification.valid_to - today).days <= 14:
                certification.reminded_14_at = utcnow()  # one message when both thresholds are already passed
        db.session.flush()
    return sent


def certifications_query(status: str, organization_id: int | None = None):
    stmt = sa.select(Certification).where(Certification.status == status)
    if organization_id:
        stmt = stmt.where(Certification.organization_id == organization_id)
    return stmt.order_by(Certification.created_at, Certification.id).options(selectinload(Certification.organization))
