"""CLI commands for the chains analyses (registered on lianpu.cli.app)."""
