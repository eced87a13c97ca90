"""Shared by every domain, owning no business: audit log, mail outbox, state transitions, errors, time, money."""
