"""What every `kb` command shares: the Settings built once at the edge, and the embedder."""

from __future__ import annotations

import click

from kb.config import Settings


def settings_of(ctx: click.Context) -> Settings:
    return ctx.obj["settings"]


def embedder_of(ctx: click.Context):
    """The embedder the settings name (the model itself loads on first use)."""
    from kb.embedders import get_embedder

    settings = settings_of(ctx)
    return get_embedder(settings.embed_backend, settings.models_dir)
