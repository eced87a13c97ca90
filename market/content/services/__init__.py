"""Business rules of the portal, one module per concept. Services flush, never commit; views commit once.

Who may see and change what is said in market.content.permissions. The package re-exports every public name
(and the two helpers the tests call), so `from market.content.services import X` and `services.X` read as they
did when this was one module.
"""
from market.content.services.publication import Publication, to_seoul, to_utc
from market.content.services.attachments import MAX_ATTACHMENTS, record_download, remove_attachment, _attach
from market.content.services.notices import (NOTICE_FACTS, NoticeData, PERIODS, create_notice, delete_notice,
                                             feed_notices, latest_notices, notices_query, open_calls, update_notice,
                                             _check_notice)
from market.content.services.resources import (ResourceData, create_resource, delete_resource, latest_resources,
                                               resources_query, update_resource)
from market.content.services.pages import (PageData, RESERVED_SLUGS, SLUG, create_page, delete_page, page_by_slug,
                                           pages_query, update_page)
from market.content.services.community import (MAX_PHOTOS, VIDEO_HOSTS, VIDEO_PLAYERS, PostData, community_query,
                                               create_post, delete_post, latest_posts, moderate_post,
                                               own_posts_query, update_post, video_embed)
from market.content.services.home import portal_summary
