"""Who may do what on the support center's portal: one named rule per action, used by the views, the services,
the moderation table and the templates alike."""
from __future__ import annotations

from market.content.models import Attachment, CommunityPost
from market.core.permissions import is_city_admin, signed_in


def can_manage_portal(user) -> bool:
    """Notices, calls, resources and guide pages are written by the support center."""
    return is_city_admin(user)


def can_moderate(user, post: CommunityPost | None = None) -> bool:
    """The support center hides a community post (with a reason) and restores it."""
    return can_manage_portal(user)


def can_post_to_community(user) -> bool:
    return signed_in(user) and user.is_enterprise_user and user.organization.is_approved


def can_edit_post(user, post: CommunityPost) -> bool:
    """An enterprise's posts are edited by its own people, never by another enterprise."""
    return signed_in(user) and user.is_enterprise_user and user.organization_id == post.organization_id


def can_view_content(user, item) -> bool:
    """Published and due (and, for community posts, not hidden), or the viewer may change it."""
    if isinstance(item, CommunityPost):
        return item.is_public() or can_edit_post(user, item) or can_moderate(user)
    return item.is_public() or can_manage_portal(user)


def can_change_attachment(user, attachment: Attachment) -> bool:
    if attachment.community_post is not None:
        return can_edit_post(user, attachment.community_post)
    return can_manage_portal(user)


def can_download_attachment(user, attachment: Attachment) -> bool:
    return can_view_content(user, attachment.owner)
