"""Paying purchase orders: card payments through a provider (Stripe today), bank transfers, refunds, a ledger."""
