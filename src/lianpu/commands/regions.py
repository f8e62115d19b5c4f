"""CLI commands for the regions analyses (registered on lianpu.cli.app)."""
