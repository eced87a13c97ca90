"""The demo city: realistic Gunsan data for trying the marketplace and for browser tests."""
