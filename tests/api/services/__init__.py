"""Tests of api/services, one file per module (a package: some share their names with the route tests)."""
