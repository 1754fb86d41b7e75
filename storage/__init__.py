"""Persistence: engine and sessions, typed models, repositories, migrations."""
