"""Tests of api/schemas, one file per module (a package: their names are those of the route tests)."""
