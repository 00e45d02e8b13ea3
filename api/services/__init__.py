"""What the routes call: each service does one job over the SDK and the gateway's records."""
