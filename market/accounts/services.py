"""Business rules for organisations and people. Services flush, never commit; views commit once."""
from __future__ import annotations

import hmac
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func
from sqlalchemy.orm import joinedload

from market.accounts.models import Organization, OrgKind, Role, User, hash_password
from market.accounts.permissions import can_manage_members, can_review_organizations
from market.accounts.states import ORGANIZATION
from market.core import audit
from market.core.errors import NotAllowed, ValidationFailed
from market.core.mail import queue_mail, site_url_for
from market.core.models import AuditEntry
from market.core.params import MAX_ID
from market.core.states import transition
from market.core.timeutil import from_seoul, utcnow
from market.extensions import db

# Checking a password against this when the e-mail is unknown keeps response times alike, so timing
# does not reveal which addresses have accounts.
_DUMMY_HASH = "scrypt:32768:8:1$x7pLkqv0CM5GzB8T$" + "0" * 128


def normalize_email(email: str) -> str:
    return unicodedata.normalize("NFC", (email or "").strip()).lower()


def load_user(session_id: str) -> User | None:
    """The person a session or remember cookie names (User.get_id), if the cookie is still theirs: a token
    ended since (logout, a new password, a suspension) or a deactivated account opens nothing."""
    user_id, _, token = (session_id or "").partition(":")
    if not (user_id.isascii() and user_id.isdigit() and int(user_id) <= MAX_ID and token):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or not hmac.compare_digest(user.session_token.encode(), token.encode()):
        return None
    return user


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == normalize_email(email)))


def email_taken(email: str) -> bool:
    return find_user_by_email(email) is not None


# --- authentication ---

def authenticate(email: str, password: str) -> User | None:
    user = find_user_by_email(email)
    if user is None:
        from werkzeug.security import check_password_hash

        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if not user.check_password(password or "") or not user.active:
        return None
    user.last_login_at = utcnow()
    return user


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"market.{purpose}")


def _password_fingerprint(user: User) -> str:
    # A token carries part of the current hash, so setting a password invalidates every earlier token.
    return (user.password_hash or "unset")[-12:]


def make_token(user: User, purpose: str) -> str:
    return _serializer(purpose).dumps({"uid": user.id, "pw": _password_fingerprint(user)})


def user_from_token(token: str, purpose: str, max_age: int) -> User:
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired:
        raise ValidationFailed(_("This link has expired. Please ask for a new one.")) from None
    except BadSignature:
        raise ValidationFailed(_("This link is not valid. Please ask for a new one.")) from None
    user = db.session.get(User, data.get("uid"))
    if user is None or data.get("pw") != _password_fingerprint(user):
        raise ValidationFailed(_("This link has already been used or is no longer valid."))
    return user


# --- sign-up, invitations, passwords ---

def register_enterprise(*, organization_name: str, organization_name_en: str | None, phone: str | None,
                        name: str, email: str, password: str, locale: str = "ko") -> User:
    email = normalize_email(email)
    if existing := find_user_by_email(email):
        # Signing up must not reveal who has an account, so the person learns it by e-mail instead; the password
        # is hashed all the same, since hashing is what takes the time on the other path.
        hash_password(password)
        queue_mail(email, "accounts/signup_existing", existing.locale or locale, user=existing)
        return existing
    organization = Organization(kind=OrgKind.ENTERPRISE, name=organization_name.strip(),
                                name_en=(organization_name_en or "").strip() or None,
                                phone=(phone or "").strip() or None, status="pending")
    user = User(organization=organization, email=email, name=name.strip(), role=Role.MANAGER, locale=locale)
    user.set_password(password)
    db.session.add_all([organization, user])
    db.session.flush()
    audit.record(user, "organization.signup", organization, after={"status": "pending", "name": organization.name})
    queue_mail(email, "accounts/signup_received", locale, user=user, organization=organization)
    for admin in city_admins():
        queue_mail(admin.email, "accounts/signup_to_review", admin.locale or "ko", organization=organization,
                   review_url=site_url_for("accounts.organization_detail", org_id=organization.id))
    return user


def city_admins() -> list[User]:
    return db.session.scalars(
        db.select(User).join(User.organization)
        .where(Organization.kind == OrgKind.CITY, User.role == Role.ADMIN, User.active.is_(True))
    ).all()


def invite_user(actor: User, organization: Organization, *, email: str, name: str, role: str) -> User | None:
    """The invited person, or None when the address already has an account (which is told by e-mail)."""
    if not can_manage_members(actor, organization):
        raise NotAllowed(_("You may not add people to this organisation."))
    if role not in Role.BY_KIND[organization.kind]:
        raise ValidationFailed(_("This role does not exist for this kind of organisation."))
    email = normalize_email(email)
    if existing := find_user_by_email(email):
        # The inviter must not learn who has an account elsewhere: the answer is the same, and the person is
        # told by e-mail why no invitation follows.
        queue_mail(email, "accounts/invitation_existing", existing.locale or "ko", user=existing,
                   organization=organization, inviter=actor)
        return None
    user = User(organization=organization, email=email, name=name.strip(), role=role, locale="ko")
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user.invite", user, after={"email": email, "role": role, "organization_id": organization.id})
    queue_mail(email, "accounts/invitation", "ko", user=user, organization=organization, inviter=actor,
               url=site_url_for("accounts.accept_invitation", token=make_token(user, "invitation")))
    return user


def accept_invitation(token: str, *, password: str) -> User:
    user = user_from_token(token, "invitation", current_app.config["INVITATION_MAX_AGE"])
    if user.password_hash:
        raise ValidationFailed(_("This invitation has already been accepted. Please log in."))
    user.set_password(password)
    audit.record(user, "user.accept_invitation", user)
    return user


def request_password_reset(email: str) -> None:
    """Queue a reset link if the address has an account; say nothing either way."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        return
    queue_mail(user.email, "accounts/password_reset", user.locale or "ko", user=user,
               url=site_url_for("accounts.reset_password", token=make_token(user, "password-reset")),
               minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60)


def reset_password(token: str, *, password: str) -> User:
    user = user_from_token(token, "password-reset", current_app.config["PASSWORD_RESET_MAX_AGE"])
    user.set_password(password)
    audit.record(user, "user.reset_password", user)
    return user


def change_password(user: User, *, current_password: str, new_password: str) -> None:
    if not user.check_password(current_password):
        raise ValidationFailed(_("The current password is not correct."))
    user.set_password(new_password)
    audit.record(user, "user.change_password", user)


def update_profile(user: User, *, name: str, locale: str) -> None:
    before = {"name": user.name, "locale": user.locale}
    user.name = name.strip()
    user.locale = locale
    audit.record(user, "user.update_profile", user, before=before, after={"name": user.name, "locale": locale})


# --- the city's work: agencies and approvals ---

def create_agency(actor: User, *, name: str, name_en: str | None, phone: str | None, address: str | None,
                  manager_name: str, manager_email: str) -> Organization:
    if not can_review_organizations(actor):
        raise NotAllowed(_("Only the support center creates agency accounts."))
    if email_taken(manager_email):
        raise ValidationFailed(_("This e-mail address already has an account."))
    agency = Organization(kind=OrgKind.AGENCY, name=name.strip(), name_en=(name_en or "").strip() or None,
                          phone=(phone or "").strip() or None, address=(address or "").strip() or None,
                          status="approved")
    db.session.add(agency)
    db.session.flush()
    audit.record(actor, "organization.create", agency, after={"kind": "agency", "name": agency.name})
    invite_user(actor, agency, email=manager_email, name=manager_name, role=Role.MANAGER)
    return agency


# What an organisation still lacks before the city approves it ({code: label}), asked of the domains that know
# (the catalog adds an enterprise's profile and certifications): accounts does not import them.
APPROVAL_CHECKS: list[Callable[[Organization], Mapping]] = []


def approval_gaps(organization: Organization) -> dict:
    return {code: label for check in APPROVAL_CHECKS for code, label in check(organization).items()}


def decide_organization(actor: User, organization: Organization, action: str, note: str | None, *,
                        incomplete_confirmed: bool = False) -> str:
    """An incomplete enterprise is approved only when the city confirms it (it may complete its profile later);
    the audit entry keeps what was missing."""
    facts = None
    if action == "approve" and (gaps := approval_gaps(organization)):
        if not incomplete_confirmed:
            raise ValidationFailed(_("The profile is incomplete (missing: %(gaps)s). Confirm to approve it as it is.",
                                     gaps=", ".join(str(label) for label in gaps.values())))
        facts = {"incomplete": list(gaps)}
    new_state = transition(ORGANIZATION, organization, action, actor, note, facts)
    organization.status_reason = (note or "").strip() or None
    if new_state in ("suspended", "rejected"):
        for user in organization.users:  # a session opened before the decision must not act after it
            user.end_sessions()
    return new_state


def organizations_query(kind: str | None = None, status: str | None = None, q: str | None = None):
    stmt = db.select(Organization).order_by(Organization.created_at.desc(), Organization.id.desc())
    if kind in OrgKind.ALL:
        stmt = stmt.where(Organization.kind == kind)
    if status in ORGANIZATION.states:
        stmt = stmt.where(Organization.status == status)
    if q:
        stmt = stmt.where(Organization.name.icontains(q.strip(), autoescape=True))
    return stmt


def status_counts(kind: str | None = None) -> dict[str, int]:
    stmt = db.select(Organization.status, func.count()).group_by(Organization.status)
    if kind:
        stmt = stmt.where(Organization.kind == kind)
    return dict(db.session.execute(stmt).all())


# --- the audit log ---

@dataclass(frozen=True)
class AuditFilters:
    subject: str | None = None          # a kind of record: AuditEntry.subject_type
    action: str | None = None           # an action code: "certification.verify"
    actor_id: int | None = None
    organization_id: int | None = None  # anyone of this organisation
    who: str | None = None              # part of a person's name or e-mail, or of an organisation's name
    since: date | None = None           # Korea time, inclusive
    until: date | None = None


def audit_log(filters: AuditFilters):
    """The audit log, newest first, with each actor and their organisation loaded in the same query.

    Each filter reads an index of audit_entry: the subject's (subject_type, subject_id), (action, at), actor_id
    (the people matched first, in the small user table) and at."""
    stmt = (db.select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .options(joinedload(AuditEntry.actor).joinedload(User.organization)))
    if filters.subject:
        stmt = stmt.where(AuditEntry.subject_type == filters.subject)
    if filters.action:
        stmt = stmt.where(AuditEntry.action == filters.action)
    if filters.actor_id:
        stmt = stmt.where(AuditEntry.actor_id == filters.actor_id)
    if filters.organization_id:
        stmt = stmt.where(AuditEntry.actor_id.in_(
            db.select(User.id).where(User.organization_id == filters.organization_id)))
    if filters.who:
        stmt = stmt.where(AuditEntry.actor_id.in_(
            db.select(User.id).join(User.organization).where(db.or_(
                User.name.icontains(filters.who, autoescape=True), User.email.icontains(filters.who, autoescape=True),
                Organization.name.icontains(filters.who, autoescape=True)))))
    if filters.since:
        stmt = stmt.where(AuditEntry.at >= from_seoul(datetime.combine(filters.since, time.min)))
    if filters.until:
        stmt = stmt.where(AuditEntry.at < from_seoul(datetime.combine(filters.until + timedelta(days=1), time.min)))
    return stmt
