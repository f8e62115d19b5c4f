"""CLI commands for the carbon analyses (registered on lianpu.cli.app)."""
