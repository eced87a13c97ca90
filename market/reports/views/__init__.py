"""Reports blueprint: the city's and each agency's attainment, breakdowns, drill-down, targets (set by the city
or proposed by the agency), the agency's totals and shortfall reasons, exports, print views and performance
certificates; purchases recorded off the platform and their verification; the counting point.

One module per group of pages; each adds its routes to the one blueprint, `bp`, of market.reports.views.common.
"""
from market.reports.views import attainment, off_platform, submissions, targets  # noqa: F401 (their routes)
from market.reports.views.common import bp  # noqa: F401
