"""Purchasing targets and attainment: what each agency planned to buy from social-economy enterprises and how
far it has come, counted from the platform's purchase orders."""
