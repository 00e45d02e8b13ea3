"""The command line's tests: a package, so that a test named after its module (test_permits.py for
sdap/cli/permits.py) does not collide with the gateway's test of the same name."""
