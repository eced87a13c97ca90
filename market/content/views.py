"""The portal's blueprint: notices and calls, resources, guide pages, the community, file downloads, feed."""
from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from market.content import forms, services
from market.core import audit, files, security
from market.content.models import (APPLICATION_STATES, NOTICE_CATEGORIES, PUBLICATION_STATES, RESOURCE_CATEGORIES,
                                   Attachment, CommunityPost, GuidePage, Notice, Resource)
from market.content.permissions import (can_change_attachment, can_download_attachment, can_edit_post,
                                       can_manage_portal, can_moderate, can_post_to_community, can_view_content)
from market.content.states import ACTION_LABELS, MODERATION
from market.content.text import plain_text, render_markdown
from market.core.audit import history
from market.core.errors import DomainError
from market.core import page_cache
from market.core.page_cache import public_page
from market.core.pagination import paginate
from market.core.permissions import city_admin_required, require
from market.core.timeutil import utcnow
from market.extensions import db

bp = Blueprint("content", __name__)
# A community video plays in its site's frame, once the visitor asks for it (static/js/content.js).
bp.record_once(lambda state: security.allow(state.app, "frame-src", lambda: services.VIDEO_PLAYERS))
PUBLICATION_CHOICES = [(code, state.label) for code, state in PUBLICATION_STATES.items()]

# Histories and the audit log show the portal's codes by their labels.
for _subject in ("notice", "resource", "guide_page", "community_post"):
    audit.label_values(_subject, "status", dict(PUBLICATION_CHOICES))
audit.label_values("notice", "category", NOTICE_CATEGORIES)
audit.label_values("resource", "category", RESOURCE_CATEGORIES)
# What the audit log says of the portal's records, and where their pages are.
audit.describe_subject(Notice, _l("Notice"), name=Notice.title,
                       url=lambda notice_id: url_for("content.notice", notice_id=notice_id))
audit.describe_subject(Resource, _l("Resource"), name=Resource.title,
                       url=lambda resource_id: url_for("content.resource", resource_id=resource_id))
audit.describe_subject(GuidePage, _l("Guide"), name=GuidePage.title, keys=(GuidePage.slug,),
                       url=lambda slug: url_for("content.guide", slug=slug))
audit.describe_subject(CommunityPost, _l("Community post"), name=CommunityPost.title, machine=MODERATION,
                       url=lambda post_id: url_for("content.community_post", post_id=post_id))
audit.describe_subject(Attachment, _l("File"), name=Attachment.original_name)


@bp.app_template_filter("markdown")
def markdown_filter(text):
    return render_markdown(text)


@bp.app_template_filter("excerpt")
def excerpt_filter(text, limit=140):
    return plain_text(text, limit)


@bp.app_template_filter("atom_time")
def atom_time_filter(value):
    """RFC 3339 in UTC, as Atom wants it (the database stores naive UTC)."""
    return (value or utcnow()).strftime("%Y-%m-%dT%H:%M:%SZ")


@bp.app_template_global()
def portal_summary():
    return services.portal_summary()


def _page_of(stmt):
    return paginate(stmt, current_app.config["PAGE_SIZE"])


def _arg(name: str, limit: int = 100) -> str:
    return (request.args.get(name) or "").strip()[:limit]


def _visible_or_404(model, object_id: int):
    item = db.get_or_404(model, object_id)
    if not can_view_content(current_user, item):
        abort(404)  # drafts, scheduled and hidden items do not exist for those who may not see them
    return item


def _wants_preview() -> bool:
    return request.form.get("action") == "preview"


def _editor(template: str, form, *, item=None, status: int = 200, error: str | None = None, preview=None, **context):
    return render_template(template, form=form, item=item, error=error, preview=preview,
                           accept_documents=files.ACCEPT_DOCUMENTS, accept_images=files.ACCEPT_IMAGES,
                           max_mb=files.max_file_bytes() // (1024 * 1024), **context), status


def _save(template: str, form, item, apply, done_message: str, detail, **context):
    """The common POST path of every editor: preview, or validate and call one service, commit, redirect."""
    if _wants_preview():
        return _editor(template, form, item=item, preview=render_markdown(form.body.data or ""), **context)
    if form.validate_on_submit():
        try:
            saved = apply()
        except DomainError as error:
            db.session.rollback()
            return _editor(template, form, item=item, status=400, error=error.message, **context)
        db.session.commit()
        flash(done_message, "success")
        return redirect(detail(saved))
    return _editor(template, form, item=item, status=400, **context)


# --- notices and calls ---

@bp.route("/notices")
@public_page
def notices():
    category = request.args.get("category") if request.args.get("category") in NOTICE_CATEGORIES else None
    period = request.args.get("period") if request.args.get("period") in services.PERIODS else None
    status = request.args.get("status") if request.args.get("status") in PUBLICATION_STATES else None
    q = _arg("q")
    page = _page_of(services.notices_query(current_user, category=category, q=q, period=period, status=status))
    return render_template("content/notices/list.html", page=page, category=category, period=period, status=status,
                           q=q, categories=NOTICE_CATEGORIES, periods=APPLICATION_STATES,
                           publication_choices=PUBLICATION_CHOICES, can_manage=can_manage_portal(current_user))


@bp.route("/notices/feed.atom")
@public_page
def notices_feed():
    items = services.feed_notices()
    response = make_response(render_template("content/notices/feed.xml", items=items))
    response.headers["Content-Type"] = "application/atom+xml; charset=utf-8"
    return response


@bp.route("/notices/<int:notice_id>")
@public_page
def notice(notice_id: int):
    item = _visible_or_404(Notice, notice_id)
    return render_template("content/notices/detail.html", notice=item,
                           can_manage=can_manage_portal(current_user))


def _notice_detail(notice: Notice) -> str:
    return url_for("content.notice", notice_id=notice.id)


@bp.route("/notices/new", methods=["GET", "POST"])
@city_admin_required
def new_notice():
    form = forms.NoticeForm(category=request.args.get("category") or "notice")
    if request.method == "GET":
        return _editor("content/notices/form.html", form)
    return _save("content/notices/form.html", form, None,
                 lambda: services.create_notice(current_user, form.data_for_service(), form.attachments.data),
                 _("The notice has been saved."), _notice_detail)


@bp.route("/notices/<int:notice_id>/edit", methods=["GET", "POST"])
@city_admin_required
def edit_notice(notice_id: int):
    notice = db.get_or_404(Notice, notice_id)
    form = forms.NoticeForm(obj=notice if request.method == "GET" else None)
    if request.method == "GET":
        form.show_publication(notice)
        return _editor("content/notices/form.html", form, item=notice, history=history(notice))

    def apply():
        services.update_notice(current_user, notice, form.data_for_service(), form.attachments.data)
        return notice

    return _save("content/notices/form.html", form, notice, apply, _("The notice has been saved."), _notice_detail,
                 history=history(notice))


@bp.route("/notices/<int:notice_id>/delete", methods=["POST"])
@city_admin_required
def delete_notice(notice_id: int):
    services.delete_notice(current_user, db.get_or_404(Notice, notice_id))
    db.session.commit()
    flash(_("The notice has been deleted."), "success")
    return redirect(url_for("content.notices"))


# --- resources library ---

@bp.route("/resources")
@public_page
def resources():
    category = request.args.get("category") if request.args.get("category") in RESOURCE_CATEGORIES else None
    status = request.args.get("status") if request.args.get("status") in PUBLICATION_STATES else None
    order = "downloads" if request.args.get("order") == "downloads" else None
    q = _arg("q")
    page = _page_of(services.resources_query(current_user, category=category, q=q, status=status, order=order))
    return render_template("content/resources/list.html", page=page, category=category, status=status, q=q,
                           order=order, categories=RESOURCE_CATEGORIES, publication_choices=PUBLICATION_CHOICES,
                           can_manage=can_manage_portal(current_user))


@bp.route("/resources/<int:resource_id>")
@public_page
def resource(resource_id: int):
    item = _visible_or_404(Resource, resource_id)
    return render_template("content/resources/detail.html", resource=item,
                           can_manage=can_manage_portal(current_user))


def _resource_detail(resource: Resource) -> str:
    return url_for("content.resource", resource_id=resource.id)


@bp.route("/resources/new", methods=["GET", "POST"])
@city_admin_required
def new_resource():
    form = forms.ResourceForm()
    if request.method == "GET":
        return _editor("content/resources/form.html", form)
    return _save("content/resources/form.html", form, None,
                 lambda: services.create_resource(current_user, form.data_for_service(), form.attachments.data),
                 _("The resource has been saved."), _resource_detail)


@bp.route("/resources/<int:resource_id>/edit", methods=["GET", "POST"])
@city_admin_required
def edit_resource(resource_id: int):
    resource = db.get_or_404(Resource, resource_id)
    form = forms.ResourceForm(obj=resource if request.method == "GET" else None)
    if request.method == "GET":
        form.show_publication(resource)
        return _editor("content/resources/form.html", form, item=resource, history=history(resource))

    def apply():
        services.update_resource(current_user, resource, form.data_for_service(), form.attachments.data)
        return resource

    return _save("content/resources/form.html", form, resource, apply, _("The resource has been saved."),
                 _resource_detail, history=history(resource))


@bp.route("/resources/<int:resource_id>/delete", methods=["POST"])
@city_admin_required
def delete_resource(resource_id: int):
    services.delete_resource(current_user, db.get_or_404(Resource, resource_id))
    db.session.commit()
    flash(_("The resource has been deleted."), "success")
    return redirect(url_for("content.resources"))


# --- files ---

@bp.route("/files/<int:attachment_id>")
def download(attachment_id: int):
    """A stored file, only if its notice, resource or post may be seen; documents count their downloads."""
    attachment = db.get_or_404(Attachment, attachment_id)
    if not can_download_attachment(current_user, attachment):
        abort(404)
    inline = attachment.is_image and attachment.community_post_id is not None  # a community photo, shown in place
    response = files.download(attachment.stored_name, attachment.kind, files.clean_name(attachment.original_name),
                              as_attachment=not inline)
    if response is None:
        current_app.logger.error("attachment %s: file %s is missing", attachment.id, attachment.stored_name)
        abort(404)
    if not inline and request.method == "GET":
        services.record_download(attachment)
        db.session.commit()
    response.headers["Content-Disposition"] = _disposition(attachment, inline)
    return response


def _disposition(attachment: Attachment, inline: bool) -> str:
    """The original (Korean) name for browsers (RFC 6266), a plain ASCII one for the oldest clients."""
    fallback = f"file-{attachment.id}.{files.KINDS[attachment.kind][1][0]}"
    encoded = quote(files.clean_name(attachment.original_name), safe="")
    return f"{'inline' if inline else 'attachment'}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"


@bp.route("/files/<int:attachment_id>/delete", methods=["POST"])
@login_required
def delete_attachment(attachment_id: int):
    attachment = db.get_or_404(Attachment, attachment_id)
    require(can_change_attachment(current_user, attachment))
    owner = attachment.owner
    try:
        services.remove_attachment(current_user, attachment)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_("The file has been removed."), "success")
    if isinstance(owner, Notice):
        return redirect(url_for("content.edit_notice", notice_id=owner.id))
    if isinstance(owner, Resource):
        return redirect(url_for("content.edit_resource", resource_id=owner.id))
    return redirect(url_for("content.edit_post", post_id=owner.id))


# --- guide pages (certification and designation procedures, …) ---

@bp.route("/guides")
@public_page
def guides():
    pages = db.session.scalars(services.pages_query(current_user)).all()
    return render_template("content/guides/list.html", pages=pages, can_manage=can_manage_portal(current_user))


@bp.route("/guides/<slug>")
@public_page
def guide(slug: str):
    page = services.page_by_slug(slug)
    if page is None or not can_view_content(current_user, page):
        abort(404)
    others = [p for p in db.session.scalars(services.pages_query(None)).all() if p.id != page.id]
    return render_template("content/guides/detail.html", page=page, others=others,
                           can_manage=can_manage_portal(current_user))


def _guide_detail(page: GuidePage) -> str:
    return url_for("content.guide", slug=page.slug)


@bp.route("/guides/new", methods=["GET", "POST"])
@city_admin_required
def new_guide():
    form = forms.PageForm()
    if request.method == "GET":
        return _editor("content/guides/form.html", form)
    return _save("content/guides/form.html", form, None,
                 lambda: services.create_page(current_user, form.data_for_service()),
                 _("The page has been saved."), _guide_detail)


@bp.route("/guides/<int:page_id>/edit", methods=["GET", "POST"])
@city_admin_required
def edit_guide(page_id: int):
    page = db.get_or_404(GuidePage, page_id)
    form = forms.PageForm(obj=page if request.method == "GET" else None)
    if request.method == "GET":
        form.show_publication(page)
        return _editor("content/guides/form.html", form, item=page, history=history(page))

    def apply():
        services.update_page(current_user, page, form.data_for_service())
        return page

    return _save("content/guides/form.html", form, page, apply, _("The page has been saved."), _guide_detail,
                 history=history(page))


@bp.route("/guides/<int:page_id>/delete", methods=["POST"])
@city_admin_required
def delete_guide(page_id: int):
    services.delete_page(current_user, db.get_or_404(GuidePage, page_id))
    db.session.commit()
    flash(_("The page has been deleted."), "success")
    return redirect(url_for("content.guides"))


# --- community ---

@bp.route("/community")
@public_page
def community():
    q = _arg("q")
    moderation = request.args.get("moderation") if request.args.get("moderation") in MODERATION.states else None
    page = _page_of(services.community_query(current_user, q=q, moderation=moderation))
    return render_template("content/community/list.html", page=page, q=q, moderation=moderation,
                           moderation_states=MODERATION.states, can_moderate=can_moderate(current_user),
                           can_post=can_post_to_community(current_user))


@bp.route("/community/mine")
@login_required
def my_posts():
    require(current_user.is_enterprise_user)
    page = _page_of(services.own_posts_query(current_user))
    return render_template("content/community/mine.html", page=page, moderation_states=MODERATION.states,
                           can_post=can_post_to_community(current_user))


@bp.route("/community/<int:post_id>")
@public_page
def community_post(post_id: int):
    post = _visible_or_404(CommunityPost, post_id)
    return _post_page(post)


def _post_page(post: CommunityPost, form=None, status: int = 200):
    moderator = can_moderate(current_user)
    return render_template(
        "content/community/detail.html", post=post, video=services.video_embed(post.video_url),
        can_edit=can_edit_post(current_user, post), can_moderate=moderator,
        moderation_form=form or forms.ModerationForm(), state=MODERATION.state(post.moderation),
        actions=MODERATION.allowed_actions(post, current_user), action_labels=ACTION_LABELS,
        history=history(post) if moderator else []), status


def _post_detail(post: CommunityPost) -> str:
    return url_for("content.community_post", post_id=post.id)


@bp.route("/community/new", methods=["GET", "POST"])
@login_required
def new_post():
    require(can_post_to_community(current_user))
    form = forms.PostForm()
    if request.method == "GET":
        return _editor("content/community/form.html", form)
    return _save("content/community/form.html", form, None,
                 lambda: services.create_post(current_user, form.data_for_service(), form.photos.data),
                 _("Your post has been saved."), _post_detail)


@bp.route("/community/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit_post(post_id: int):
    post = db.get_or_404(CommunityPost, post_id)
    require(can_edit_post(current_user, post))
    form = forms.PostForm(obj=post if request.method == "GET" else None)
    if request.method == "GET":
        form.show_publication(post)
        return _editor("content/community/form.html", form, item=post)

    def apply():
        services.update_post(current_user, post, form.data_for_service(), form.photos.data)
        return post

    return _save("content/community/form.html", form, post, apply, _("Your post has been saved."), _post_detail)


@bp.route("/community/<int:post_id>/delete", methods=["POST"])
@login_required
def delete_post(post_id: int):
    post = db.get_or_404(CommunityPost, post_id)
    require(can_edit_post(current_user, post))
    services.delete_post(current_user, post)
    db.session.commit()
    flash(_("The post has been deleted."), "success")
    return redirect(url_for("content.my_posts"))


@bp.route("/community/<int:post_id>/<any(hide, restore):action>", methods=["POST"])
@city_admin_required
def moderate_post(post_id: int, action: str):
    post = db.get_or_404(CommunityPost, post_id)
    form = forms.ModerationForm()
    if form.validate_on_submit():
        try:
            services.moderate_post(current_user, post, action, form.note.data)
        except DomainError as error:
            db.session.rollback()
            form.note.errors.append(error.message)
        else:
            db.session.commit()
            page_cache.clear()  # a hidden post leaves every public page at once, not when their copies expire
            flash(_("The post is now: %(state)s.", state=MODERATION.state(post.moderation).label), "success")
            return redirect(url_for("content.community_post", post_id=post.id))
    return _post_page(post, form=form, status=400)
