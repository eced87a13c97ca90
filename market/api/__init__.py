"""The open-data API: read-only JSON of the public directory, listings and statistics, with its OpenAPI
document at /api/v1/openapi.json."""
