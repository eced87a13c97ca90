"""Business rules of the catalog, one module per concept. Services flush, never commit; views commit once.

The package re-exports every public name, so `from market.catalog.services import X` and `services.X` read
as they did when this was one module.
"""
from market.catalog.services.industries import (add_item_group, industry_by_code, industry_tree, seed_industries,
                                                update_industry)
from market.catalog.services.indexing import (REINDEX_BATCH, enterprise_search_text, listing_search_text,
                                              reindex_industry, reindex_listing, reindex_listings)
from market.catalog.services.enterprises import (PROFILE_FIELDS, PROFILE_NEEDS, listing_counts, profile_for,
                                                 profile_gaps, reindex_enterprise, update_enterprise,
                                                 valid_business_number)
from market.catalog.services.certifications import (REMINDER_DAYS, certifications_query, decide_certification,
                                                    send_expiry_reminders, submit_certification, update_certification,
                                                    valid_kinds_by_enterprise)
from market.catalog.services.listings import (LISTING_FIELDS, ListingData, MAX_IMAGES, add_listing_image, can_publish,
                                              change_listing_status, check_listing_data, create_listing,
                                              duplicate_listing, listing_changes, move_listing, next_position,
                                              own_listings, remove_listing_image, set_logo, update_listing)
from market.catalog.services.public import (archived_listings, directory_query, enterprise_catalog,
                                            enterprises_matching, highlights, listings_page, listings_query,
                                            public_enterprises, public_listings, statistics)
