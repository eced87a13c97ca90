"""Organisations (enterprise, agency, city), people, roles, sign-up, invitations and password reset."""
