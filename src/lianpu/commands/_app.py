"""The typer application every command module registers on (``@app.command()``).

It lives here, not in :mod:`lianpu.cli`, so that a command module never imports the module
that imports it: ``cli`` imports ``commands.*``; ``commands.*`` import only ``_app`` and
``_shared``.
"""
from __future__ import annotations

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="链谱 lianpu — industrial-chain analytics on input-output tables.")
