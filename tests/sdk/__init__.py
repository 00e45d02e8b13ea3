"""The SDK's tests: a package, so that a test named after its module (test_platform.py for
sdap/platform.py) does not collide with the gateway's test of the same name."""
