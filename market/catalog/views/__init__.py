"""Catalog blueprint: the public directory, listings, search and statistics; each enterprise's own catalog;
the support center's verification of certifications and its industry taxonomy.

One module per group of pages; each adds its routes to the one blueprint, `bp`, of market.catalog.views.common.
"""
from market.catalog.views import admin, enterprise, listings, public  # noqa: F401 (their routes)
from market.catalog.views.common import bp  # noqa: F401
