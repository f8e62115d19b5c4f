"""The local dashboard 看板 (FastAPI + Jinja2 + locally served plotly.js); ``lianpu serve``."""
from .app import create_app

__all__ = ["create_app"]
