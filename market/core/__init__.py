"""Shared by every domain, owning no business: audit log, mail outbox, notifications, state transitions, permission
helpers, files, errors, time, money."""
