"""Domain errors raised by services, and the pages people see instead of a stack trace."""
from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from market.core.pagination import PastTheEnd, page_url
from market.core.permissions import safe_referrer


class DomainError(Exception):
    status = 400

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field  # the input the message is about, when there is one: a form shows it there


class NotAllowed(DomainError):
    status = 403


class InvalidTransition(DomainError):
    status = 409


class ValidationFailed(DomainError):
    status = 400


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


ERROR_CODES = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
               409: "conflict", 413: "too_large", 429: "too_many_requests", 500: "server_error"}


def _page(status: int, title: str, message: str, action: tuple[str, str] | None = None):
    """The error as JSON for the API, otherwise a page in the site's layout; `action` = (url, label) is a link
    the page offers before the one to the home page."""
    if _wants_json():
        response = jsonify({"error": ERROR_CODES.get(status, "error"), "message": str(message)})
        response.status_code = status
        if request.path.startswith("/api/"):
            response.headers["Access-Control-Allow-Origin"] = "*"  # open data: errors are readable too
        return response
    return render_template("errors/error.html", status=status, title=title, message=message, action=action), status


def register(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        from market.extensions import db

        db.session.rollback()
        return _page(error.status, _("This could not be done"), error.message)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return _page(400, _("The form expired"),
                     _("For your security the form could not be accepted. Go back, reload the page and try again."))

    @app.errorhandler(PastTheEnd)
    def past_the_end(error: PastTheEnd):
        return _page(404, _("This page does not exist"),
                     _("The list has fewer pages than that: it may have become shorter since the link was made."),
                     (page_url(request.endpoint), _("Go to the first page")))

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error: RequestEntityTooLarge):
        megabytes = current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
        return _page(413, _("File too large"),
                     _("The upload is larger than %(mb)d MB, the most this site accepts at once. Go back and choose "
                       "a smaller file.", mb=megabytes),
                     (safe_referrer(url_for("core.home")), _("Go back")))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        messages = {
            400: (_("Bad request"), _("The request could not be understood.")),
            403: (_("Not allowed"), _("You do not have permission to see this page.")),
            404: (_("Page not found"), _("The page you asked for does not exist or has moved.")),
            405: (_("Not allowed"), _("This address does not accept that kind of request.")),
            429: (_("Too many attempts"), _("Too many attempts in a short time. Wait a minute and try again.")),
        }
        title, message = messages.get(error.code, (error.name, error.description or ""))
        return _page(error.code or 500, title, message)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        from market.extensions import db

        db.session.rollback()
        if app.config.get("PROPAGATE_EXCEPTIONS") is True:  # explicitly asked for, e.g. to debug a test
            raise error
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return _page(500, _("Something went wrong"),
                     _("An unexpected error occurred. Nothing was saved. Please try again later."))

