"""Request and response models. Requests forbid unknown fields; responses are what the OpenAPI
document shows."""
