"""CLI command modules; each registers its commands on :data:`lianpu.cli.app` at import."""
