"""The `kb serve` command: the Gradio chat in a browser."""

from __future__ import annotations

import click

from app.cli import cli
from kb.errors import KBError


@cli.command()
@click.option("--host", default=None, help="Address to bind (default KB_HOST, 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), default=None,
              help="Port to listen on (default KB_PORT, 7860).")
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None) -> None:
    """Start the chat: cited answers, a sources panel, feedback and an About view.

    Serves on 127.0.0.1:7860 unless told otherwise; any other address needs
    KB_AUTH=user:password. Set KB_ENABLE_UPLOAD=1 to let users add documents. Example:

        kb serve --port 8080
    """
    from app.ui import check_bind
    from app.ui import serve as run

    settings = ctx.obj["settings"]
    update = {k: v for k, v in (("host", host), ("port", port)) if v is not None}
    settings = settings.model_copy(update=update)
    try:
        check_bind(settings)  # fail before loading the model
        run(settings)
    except KBError as exc:
        raise click.ClickException(str(exc)) from None
