"""CLI command modules, one per topic; each registers its commands on
:data:`lianpu.commands._app.app` at import and shares options and helpers through
:mod:`lianpu.commands._shared` (none imports :mod:`lianpu.cli`, which imports them)."""
