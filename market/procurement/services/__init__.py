"""Business rules of buying, one module per concept. Services flush, never commit; views commit once.

The package re-exports every public name, so `from market.procurement.services import X` and `services.X` read
as they did when this was one module.
"""
from market.procurement.services.access import order_status_counts, orders_for, requests_for
from market.procurement.services.documents import MAX_FILES, attach_files
from market.procurement.services.orders import move_order, place_order
from market.procurement.services.requests import (ItemData, MAX_ITEMS, RequestData, close_request, create_request,
                                                  send_request, update_request, withdraw_request)
from market.procurement.services.quotes import accept_quote, comparison, decline_request, quote_of, submit_quote
from market.procurement.services.direct import (CEILING_LABELS, CeilingExceeded, ceiling_for, direct_order_totals,
                                                place_direct_order, seed_ceilings)
from market.procurement.services.messages import (post_message, request_conversation, request_conversations, thread_key,
                                                  thread_messages, unread_counts)
from market.procurement.services.work import AGENCY_TURN, ENTERPRISE_TURN, work_summary
