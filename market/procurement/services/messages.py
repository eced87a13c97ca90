"""The conversation on each request and order, and the unread counts of the navigation."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from market.accounts.models import Organization, User
from market.core.errors import NotAllowed, ValidationFailed
from market.core.notifications import unread_notifications
from market.core.params import MAX_ID
from market.core.timeutil import utcnow
from market.extensions import db
from market.procurement import notifications
from market.procurement.models import Message, PurchaseRequest
from market.procurement.permissions import enterprise_may_quote
from market.procurement.services.documents import attach_files


def request_conversation(actor, request: PurchaseRequest, enterprise_id: int | None) -> int:
    """The enterprise a message on a request is exchanged with: an enterprise's own; for the buyer, one the
    request is addressed to or that answered it (a buyer cannot open a conversation with any enterprise)."""
    if actor.is_enterprise_user:
        return actor.organization_id
    enterprise = db.session.get(Organization, enterprise_id) if enterprise_id and 0 < enterprise_id <= MAX_ID \
        else None
    answered = enterprise is not None and any(q.organization_id == enterprise.id for q in request.quotes)
    if enterprise is None or not (answered or enterprise_may_quote(enterprise, request)):
        raise NotAllowed(_("This enterprise is not part of this purchase request."))
    return enterprise.id


def request_conversations(request: PurchaseRequest, reader) -> list[tuple[Organization, list[Message]]]:
    """The buyer's conversations about a request: one per enterprise that wrote, the latest first."""
    by_enterprise: dict[int, list[Message]] = {}
    for message in thread_messages(thread_key("request", request.id), None, reader):
        by_enterprise.setdefault(message.enterprise_id, []).append(message)
    enterprises = {org.id: org for org in db.session.scalars(
        sa.select(Organization).where(Organization.id.in_(by_enterprise)))}
    return sorted(((enterprises[org_id], messages) for org_id, messages in by_enterprise.items()),
                  key=lambda pair: pair[1][-1].id, reverse=True)


def thread_key(kind: str, object_id: int) -> str:
    return f"{kind}:{object_id}"


def post_message(actor, *, thread: str, agency_id: int, enterprise_id: int, body: str,
                 attachments=()) -> Message:
    if actor.organization_id not in (agency_id, enterprise_id):
        raise NotAllowed(_("You are not part of this conversation."))
    body = (body or "").strip()
    if not body:
        raise ValidationFailed(_("Write a message."))
    message = Message(thread=thread, agency_id=agency_id, enterprise_id=enterprise_id, sender_id=actor.id,
                      body=body[:5000])
    db.session.add(message)
    db.session.flush()
    attach_files(actor, attachments, message_id=message.id)
    notifications.message_posted(message, actor)
    return message


def thread_messages(thread: str, enterprise_id: int | None, reader) -> list[Message]:
    """The messages of a thread with one enterprise (every enterprise's when None), marked read for `reader`."""
    stmt = sa.select(Message).where(Message.thread == thread)
    if enterprise_id is not None:
        stmt = stmt.where(Message.enterprise_id == enterprise_id)
    messages = db.session.scalars(stmt.order_by(Message.id).options(
        selectinload(Message.sender).selectinload(User.organization), selectinload(Message.files))).all()
    for message in messages:
        if message.read_at is None and message.sender.organization_id != reader.organization_id:
            message.read_at = utcnow()
    return messages


def unread_counts(user) -> dict[str, int]:
    """Unread messages and notifications for the navigation (two small indexed counts)."""
    org_id = user.organization_id
    column = Message.agency_id if user.is_agency_user else Message.enterprise_id
    messages = db.session.scalar(
        sa.select(sa.func.count()).select_from(Message).join(User, User.id == Message.sender_id)
        .where(column == org_id, Message.read_at.is_(None), User.organization_id != org_id))
    return {"messages": messages or 0, "notifications": unread_notifications(org_id)}
