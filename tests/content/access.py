"""Access rules of the portal's routes.

The content of the matrix: a published notice and a published resource, each with a PDF; a published guide
page; enterprise A's published community post with a photo. Built once per world, on first use.
"""
from types import SimpleNamespace

from tests.access import Rule, city_only, enterprises_only, everyone

A_ONLY = everyone(403, anonymous=302, enterprise_a=200)


def _content(w) -> SimpleNamespace:
    if not hasattr(w, "content"):
        from market.extensions import db
        from tests.content import factories

        notice = factories.notice(w.users.city)
        resource = factories.resource(w.users.city)
        post = factories.post(w.users.enterprise_a)
        w.content = SimpleNamespace(
            notice=notice, resource=resource, page=factories.page(slug="social-enterprise"), post=post,
            notice_file=factories.attachment(notice), resource_file=factories.attachment(resource),
            photo=factories.attachment(post, factories.png_bytes(), "사진.png", "png"))
        db.session.commit()
    return w.content


def _notice(w):
    return {"notice_id": _content(w).notice.id}


def _resource(w):
    return {"resource_id": _content(w).resource.id}


def _page(w):
    return {"page_id": _content(w).page.id}


def _post(w):
    return {"post_id": _content(w).post.id}


RULES = {
    ("content.notices", "GET"): Rule(everyone(200)),
    ("content.notices_feed", "GET"): Rule(everyone(200)),
    ("content.notice", "GET"): Rule(everyone(200), args=_notice),
    ("content.new_notice", "GET"): Rule(city_only()),
    ("content.new_notice", "POST"): Rule(city_only(400)),
    ("content.edit_notice", "GET"): Rule(city_only(), args=_notice),
    ("content.edit_notice", "POST"): Rule(city_only(400), args=_notice),
    ("content.delete_notice", "POST"): Rule(city_only(302), args=_notice),
    ("content.resources", "GET"): Rule(everyone(200)),
    ("content.resource", "GET"): Rule(everyone(200), args=_resource),
    ("content.new_resource", "GET"): Rule(city_only()),
    ("content.new_resource", "POST"): Rule(city_only(400)),
    ("content.edit_resource", "GET"): Rule(city_only(), args=_resource),
    ("content.edit_resource", "POST"): Rule(city_only(400), args=_resource),
    ("content.delete_resource", "POST"): Rule(city_only(302), args=_resource),
    ("content.download", "GET"): Rule(everyone(200), args=lambda w: {"attachment_id": _content(w).resource_file.id}),
    # A notice's file is the support center's to remove; a community photo, its enterprise's.
    ("content.delete_attachment", "POST"): Rule(city_only(302),
                                                args=lambda w: {"attachment_id": _content(w).notice_file.id}),
    ("content.guides", "GET"): Rule(everyone(200)),
    ("content.guide", "GET"): Rule(everyone(200), args=lambda w: {"slug": _content(w).page.slug}),
    ("content.new_guide", "GET"): Rule(city_only()),
    ("content.new_guide", "POST"): Rule(city_only(400)),
    ("content.edit_guide", "GET"): Rule(city_only(), args=_page),
    ("content.edit_guide", "POST"): Rule(city_only(400), args=_page),
    ("content.delete_guide", "POST"): Rule(city_only(302), args=_page),
    ("content.community", "GET"): Rule(everyone(200)),
    ("content.my_posts", "GET"): Rule(enterprises_only()),
    ("content.community_post", "GET"): Rule(everyone(200), args=_post),
    ("content.new_post", "GET"): Rule(enterprises_only()),
    ("content.new_post", "POST"): Rule(enterprises_only(400)),
    # Enterprise A's post: only A's people change it; B, the agencies and the city may not.
    ("content.edit_post", "GET"): Rule(A_ONLY, args=_post),
    ("content.edit_post", "POST"): Rule(everyone(403, anonymous=302, enterprise_a=400), args=_post),
    ("content.delete_post", "POST"): Rule(everyone(403, anonymous=302, enterprise_a=302), args=_post),
    ("content.moderate_post", "POST"): Rule(city_only(400), args=lambda w: {**_post(w), "action": "hide"}),
}
