"""Pages that belong to no domain: the home page, each role's dashboard, language choice, health.

The dashboards show what the domains contribute as template globals (`organization_status_counts` from
accounts, `work_summary` from procurement), so core imports no domain."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from market.core.mail import outbox_health
from market.core.permissions import safe_next
from market.core.page_cache import public_page
from market.extensions import db, limiter

bp = Blueprint("core", __name__)


@bp.route("/")
@public_page
def home():
    return render_template("core/home.html")


@bp.route("/dashboard")
@login_required
def dashboard():
    organization = current_user.organization
    if organization.is_city:
        return render_template("core/dashboard_city.html")
    if organization.is_agency:
        return render_template("core/dashboard_agency.html", organization=organization)
    return render_template("core/dashboard_enterprise.html", organization=organization)


@bp.route("/language/<any(ko, en):code>", methods=["GET", "POST"])
def set_language(code: str):
    """The visitor's language, kept in their session. A signed-in person's choice is also saved with their
    account, which is a change of state: only on a POST (a form with its CSRF token, in the signed-in nav),
    never on a link a page elsewhere could make a browser follow. Anonymous visitors get a plain link, so
    that their pages need no session and stay cacheable (core.page_cache)."""
    session["lang"] = code
    if request.method == "POST" and current_user.is_authenticated and current_user.locale != code:
        current_user.locale = code
        db.session.commit()
    return redirect(safe_next(url_for("core.home")))


@bp.route("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says; point them at the icon."""
    return redirect(url_for("static", filename="img/favicon.svg"), code=301)


@bp.route("/healthz")
@limiter.exempt
def healthz():
    """For the load balancer and the monitoring: 503 when the database cannot be reached; "degraded" (still 200:
    the site serves) when the oldest message waiting in the outbox is older than OUTBOX_ALERT_SECONDS, which
    means the mailer is stuck (`flask jobs run` not scheduled, or the mail server refusing)."""
    try:
        outbox = outbox_health()
    except Exception:  # the probe reports the failure; it must not raise into a 500 page
        current_app.logger.exception("health check: database unreachable")
        return jsonify({"status": "error", "database": "unreachable"}), 503
    stuck = (outbox["oldest_pending_seconds"] or 0) > current_app.config["OUTBOX_ALERT_SECONDS"]
    return jsonify({"status": "degraded" if stuck else "ok", "database": "ok", "outbox": outbox})
