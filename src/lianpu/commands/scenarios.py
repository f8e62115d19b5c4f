"""CLI commands for the scenarios analyses (registered on lianpu.cli.app)."""
