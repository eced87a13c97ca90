"""Imports every domain's models so that the metadata knows every table (Alembic, tests)."""
from market.accounts.models import *  # noqa: F401,F403
from market.core.models import *  # noqa: F401,F403
from market.catalog.models import *  # noqa: F401,F403
from market.procurement.models import *  # noqa: F401,F403
from market.payments.models import *  # noqa: F401,F403
from market.reports.models import *  # noqa: F401,F403
from market.content.models import *  # noqa: F401,F403
