"""Accounts blueprint: log in and out, sign up, invitations, passwords, organisations and their people."""
from __future__ import annotations

import hashlib

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from market.accounts import forms, services
from market.accounts.models import Organization, User
from market.accounts.permissions import can_manage_members
from market.accounts.states import ACTION_LABELS, ORGANIZATION
from market.core import audit, tables
from market.core.audit import history
from market.core.errors import DomainError
from market.core.models import OutboxMessage
from market.core.pagination import paginate, paginate_capped
from market.core.params import date_arg, id_arg
from market.core.permissions import city_admin_required, require, safe_next
from market.core.security import steady_answer
from market.core.timeutil import to_seoul
from market.extensions import current_locale, db, limiter

bp = Blueprint("accounts", __name__, url_prefix="/accounts")


def _organization_page(org_id: int) -> str:
    return url_for("accounts.organization_detail", org_id=org_id)


# What the audit log says of the records of this domain, and where their pages are.
audit.describe_subject(Organization, _l("Organisation"), name=Organization.name, url=_organization_page,
                       machine=ORGANIZATION, actions=("organization.signup", "organization.create", "enterprise.update"))
audit.describe_subject(User, _l("Person"), name=User.name, keys=(User.organization_id,), url=_organization_page,
                       actions=("user.invite",))


@bp.app_template_global()
def organization_status_counts(kind: str) -> dict[str, int]:
    """For the support center's dashboard (which belongs to no domain): organisations of a kind by status."""
    return services.status_counts(kind)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_limit() -> str:
    return current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]


def _login_account() -> str:
    """The account a login names, as the limiter's key: hashed, so that the shared store holds no address."""
    email = services.normalize_email(request.form.get("email", ""))
    return "account:" + hashlib.sha256(email.encode("utf-8")).hexdigest()[:32]


def _failed_login(response) -> bool:
    return response.status_code != 302  # a login that succeeds redirects; anything else was a failed try


def _reset_limit() -> str:
    return current_app.config["PASSWORD_RESET_RATE_LIMIT"]


def _only_post() -> bool:
    return request.method != "POST"


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, exempt_when=_only_post)  # per address: every try counts
@limiter.limit(_account_limit, key_func=_login_account, exempt_when=_only_post, deduct_when=_failed_login)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.dashboard"))
    form = forms.LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            flash(_("The e-mail or password is not correct."), "danger")
        else:
            db.session.commit()
            _new_session()
            login_user(user, remember=form.remember.data)
            flash(_("Welcome, %(name)s.", name=user.name), "success")
            return redirect(safe_next(url_for("core.dashboard")))
    return render_template("accounts/login.html", form=form)


def _new_session() -> None:
    """Start the session afresh (at login and logout), keeping only the chosen language: nothing issued before,
    the CSRF token first of all, stays valid after."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        current_user.end_sessions()  # a copy of this session or of the remember cookie elsewhere ends too
        db.session.commit()
    logout_user()
    _new_session()
    flash(_("You have logged out."), "info")
    return redirect(url_for("core.home"))


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(_reset_limit, exempt_when=_only_post)
@steady_answer
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("core.dashboard"))
    form = forms.SignupForm()
    if form.validate_on_submit():
        services.register_enterprise(
            organization_name=form.organization_name.data, organization_name_en=form.organization_name_en.data,
            phone=form.phone.data, name=form.name.data, email=form.email.data, password=form.password.data,
            locale=current_locale())
        db.session.commit()
        return render_template("accounts/signup_done.html", email=services.normalize_email(form.email.data))
    return render_template("accounts/signup.html", form=form)


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_reset_limit, exempt_when=_only_post)
@steady_answer
def forgot_password():
    form = forms.ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        flash(_("If an account uses this address, we have sent it a link to set a new password."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


def _set_password_page(token: str, purpose: str, apply, template: str, done_message: str):
    form = forms.SetPasswordForm()
    if request.method == "GET":
        try:
            max_age = current_app.config["PASSWORD_RESET_MAX_AGE" if purpose == "password-reset" else "INVITATION_MAX_AGE"]
            user = services.user_from_token(token, purpose, max_age)
        except DomainError as error:
            return render_template("accounts/link_invalid.html", message=error.message), 400
        return render_template(template, form=form, user=user)
    if form.validate_on_submit():
        try:
            apply(token, password=form.password.data)
        except DomainError as error:
            db.session.rollback()
            return render_template("accounts/link_invalid.html", message=error.message), 400
        db.session.commit()
        flash(done_message, "success")
        return redirect(url_for("accounts.login"))
    return render_template(template, form=form, user=None), 400


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    return _set_password_page(token, "password-reset", services.reset_password, "accounts/reset_password.html",
                              _("Your password has been changed. Please log in."))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    return _set_password_page(token, "invitation", services.accept_invitation, "accounts/accept_invitation.html",
                              _("Your account is ready. Please log in."))


@bp.route("/me", methods=["GET", "POST"])
@login_required
def profile():
    form = forms.ProfileForm(obj=current_user if request.method == "GET" else None)
    password_form = forms.ChangePasswordForm(prefix="pw")
    if form.validate_on_submit():
        services.update_profile(current_user, name=form.name.data, locale=form.locale.data)
        db.session.commit()
        flash(_("Your profile has been saved."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form, password_form=password_form)


@bp.route("/me/password", methods=["POST"])
@login_required
def change_password():
    form = forms.ProfileForm(obj=current_user)
    password_form = forms.ChangePasswordForm(prefix="pw")
    if password_form.validate_on_submit():
        try:
            services.change_password(current_user, current_password=password_form.current_password.data,
                                     new_password=password_form.password.data)
        except DomainError as error:
            db.session.rollback()
            password_form.current_password.errors.append(error.message)
        else:
            db.session.commit()
            # The new password ended every session, this one too: carry on here, signed in anew.
            login_user(current_user._get_current_object(), remember=_remembered())
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form, password_form=password_form), 400


def _remembered() -> bool:
    return current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies


@bp.route("/organization")
@login_required
def my_organization():
    return _members_page(current_user.organization)


def _members_page(organization: Organization, invite_form=None, status: int = 200):
    invite_form = invite_form or forms.InviteForm(organization.kind)
    return render_template("accounts/members.html", organization=organization, invite_form=invite_form,
                           can_manage=can_manage_members(current_user, organization)), status


@bp.route("/organizations/<int:org_id>/invite", methods=["POST"])
@login_required
@steady_answer
def invite(org_id: int):
    organization = db.get_or_404(Organization, org_id)
    require(can_manage_members(current_user, organization))
    form = forms.InviteForm(organization.kind)
    if form.validate_on_submit():
        try:
            services.invite_user(current_user, organization, email=form.email.data, name=form.name.data,
                                 role=form.role.data)
        except DomainError as error:
            db.session.rollback()
            form.email.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("An invitation has been sent to %(email)s.", email=services.normalize_email(form.email.data)),
                  "success")
            if organization.id == current_user.organization_id:
                return redirect(url_for("accounts.my_organization"))
            return redirect(url_for("accounts.organization_detail", org_id=organization.id))
    if current_user.is_city_admin and organization.id != current_user.organization_id:
        return _organization_detail_page(organization, invite_form=form, status=400)
    return _members_page(organization, invite_form=form, status=400)


# --- the support center's administration ---

@bp.route("/admin/organizations")
@city_admin_required
def organizations():
    kind = request.args.get("kind") or None
    status = request.args.get("status") or None
    q = (request.args.get("q") or "").strip()[:100]
    page = paginate(services.organizations_query(kind, status, q), current_app.config["PAGE_SIZE"])
    return render_template("accounts/admin/organizations.html", page=page, kind=kind, status=status, q=q,
                           states=ORGANIZATION.states, counts=services.status_counts(kind))


def _organization_detail_page(organization: Organization, invite_form=None, decision_form=None, status=200):
    actions = ORGANIZATION.allowed_actions(organization, current_user)
    return render_template(
        "accounts/admin/organization_detail.html", organization=organization,
        state=ORGANIZATION.state(organization.status), actions=actions, action_labels=ACTION_LABELS,
        gaps=services.approval_gaps(organization) if "approve" in actions else {},
        decision_form=decision_form or forms.DecisionForm(), invite_form=invite_form or forms.InviteForm(organization.kind),
        history=history(organization)), status


@bp.route("/admin/organizations/<int:org_id>")
@city_admin_required
def organization_detail(org_id: int):
    return _organization_detail_page(db.get_or_404(Organization, org_id))


@bp.route("/admin/organizations/<int:org_id>/<any(approve, reject, suspend, reinstate):action>", methods=["POST"])
@city_admin_required
def decide(org_id: int, action: str):
    organization = db.get_or_404(Organization, org_id)
    form = forms.DecisionForm()
    if form.validate_on_submit():
        try:
            services.decide_organization(current_user, organization, action, form.note.data,
                                         incomplete_confirmed=form.incomplete_confirmed.data)
        except DomainError as error:
            db.session.rollback()
            (form.incomplete_confirmed if action == "approve" else form.note).errors.append(error.message)
        else:
            db.session.commit()
            flash(_("“%(name)s” is now: %(state)s.", name=organization.name,
                    state=ORGANIZATION.state(organization.status).label), "success")
            return redirect(url_for("accounts.organization_detail", org_id=organization.id))
    return _organization_detail_page(organization, decision_form=form, status=400)


@bp.route("/admin/agencies/new", methods=["GET", "POST"])
@city_admin_required
def new_agency():
    form = forms.AgencyForm()
    if form.validate_on_submit():
        try:
            agency = services.create_agency(
                current_user, name=form.name.data, name_en=form.name_en.data, phone=form.phone.data,
                address=form.address.data, manager_name=form.manager_name.data,
                manager_email=form.manager_email.data)
        except DomainError as error:
            db.session.rollback()
            form.manager_email.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The agency has been created and its manager invited."), "success")
            return redirect(url_for("accounts.organization_detail", org_id=agency.id))
        return render_template("accounts/admin/agency_form.html", form=form), 400
    return render_template("accounts/admin/agency_form.html", form=form), 400 if request.method == "POST" else 200


@bp.route("/admin/outbox")
@city_admin_required
def outbox():
    page = paginate(db.select(OutboxMessage).order_by(OutboxMessage.id.desc()), current_app.config["PAGE_SIZE"])
    return render_template("accounts/admin/outbox.html", page=page)


# --- the audit log: every recorded action, for the support center ---

def _audit_filters() -> services.AuditFilters:
    actions = {code for kind in audit.SUBJECTS.values() for code in kind.actions}
    subject, action = request.args.get("subject"), request.args.get("action")
    return services.AuditFilters(
        subject=subject if subject in audit.SUBJECTS else None, action=action if action in actions else None,
        actor_id=id_arg("actor"), organization_id=id_arg("organization"),
        who=(request.args.get("who") or "").strip()[:100] or None, since=date_arg("since"), until=date_arg("until"))


@bp.route("/admin/audit")
@city_admin_required
def audit_log():
    filters = _audit_filters()
    page = paginate_capped(services.audit_log(filters), per_page=current_app.config["PAGE_SIZE"])
    return render_template(
        "accounts/admin/audit.html", page=page, filters=filters, subjects=audit.subjects_of(page.items),
        kinds=sorted(audit.SUBJECTS.items(), key=lambda item: str(item[1].label)),
        person=db.session.get(User, filters.actor_id) if filters.actor_id else None,
        organization=db.session.get(Organization, filters.organization_id) if filters.organization_id else None)


@bp.route("/admin/audit.csv")
@city_admin_required
def audit_export():
    """The filtered log for auditors, every entry (read in batches, written as it is read)."""
    stmt = services.audit_log(_audit_filters()).execution_options(yield_per=500)

    def rows():
        entries = db.session.scalars(stmt)
        for batch in entries.partitions():
            subjects = audit.subjects_of(batch)
            for entry in batch:
                subject = subjects[(entry.subject_type, entry.subject_id)]
                yield [to_seoul(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
                       entry.actor.name if entry.actor else _("System"), entry.actor.email if entry.actor else "",
                       entry.actor.organization.name if entry.actor else "", str(audit.action_label(entry.action)),
                       entry.action, str(subject.kind.label) if subject.kind else entry.subject_type,
                       entry.subject_id, subject.name or "", audit.describe(entry), entry.note or ""]

    header = [_("When (Korea time)"), _("Person"), _("E-mail"), _("Organisation"), _("Action"), _("Action code"),
              _("Kind of record"), _("Record number"), _("Record"), _("Changes"), _("Note")]
    return tables.download("csv", "audit-log.csv", header, rows())
