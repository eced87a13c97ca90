"""Jinja filters and globals shared by every template."""
from __future__ import annotations

from flask import Flask, has_request_context, request
from flask_babel import format_date, format_datetime

from market.core.mail import site_url_for
from market.core.money import format_krw
from market.core.pagination import page_url
from market.extensions import current_locale


def register(app: Flask) -> None:
    @app.template_filter("krw")
    def krw_filter(amount):
        return format_krw(amount, current_locale())

    @app.template_filter("action")
    def action_filter(action: str):
        from market.core.audit import action_label

        return action_label(action)

    @app.template_global("audit_changes")
    def audit_changes(entry):
        from market.core.audit import changes

        return changes(entry)

    @app.template_filter("brn")
    def business_number_filter(number: str | None):
        """A business registration number written the usual way: 401-81-28592."""
        digits = "".join(c for c in (number or "") if c.isdigit())
        return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}" if len(digits) == 10 else (number or "")

    @app.template_filter("datetime")
    def datetime_filter(value, format="medium"):
        return format_datetime(value, format) if value else ""

    @app.template_filter("date")
    def date_filter(value, format="medium"):
        return format_date(value, format) if value else ""

    app.jinja_env.globals["site_url_for"] = site_url_for
    app.jinja_env.globals["page_url"] = page_url

    # A global, not a context variable: macros imported without context (the default) see only globals, where a
    # variable is undefined and every name fell back to Korean.
    app.jinja_env.globals["current_locale"] = current_locale

    @app.context_processor
    def globals_():
        path = request.full_path.rstrip("?") if has_request_context() else ""
        return {"current_path": path}
