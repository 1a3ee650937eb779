"""The `kb serve` command: the Gradio chat in a browser."""

from __future__ import annotations

import click

from kb.errors import KBError


def startup_check(settings, embedder) -> None:
    """Refuse to serve a damaged index; on a shared Chroma server an ingest under way is fine.

    Runs before the assistant builds its read view, through an index of its own whose memory is
    freed afterwards, so the check's whole-index reads never add to the view build's peak."""
    from kb.store import Index

    with Index.opened_privately(settings, expect={"embedding_model": embedder.name}) as index:
        report = index.check(embedder.dim, sample=10)
    problems = [p for p in report.problems
                if not (settings.chroma_url and p.startswith("the index is half-written"))]
    if problems:
        raise KBError(f"the index at {settings.where()} failed its start-up check: {problems[0]}"
                      f"; {report.fix}.")


@click.command()
@click.option("--host", default=None, help="Address to bind (default KB_HOST, 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), default=None,
              help="Port to listen on (default KB_PORT, 7860).")
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None) -> None:
    """Start the chat: cited answers, a sources panel, feedback and an About view.

    Serves on 127.0.0.1:7860 unless told otherwise; any other address needs
    KB_AUTH=user:password. Set KB_ENABLE_UPLOAD=1 to let users add documents. While it runs it
    is the only writer of an on-disk index: `kb ingest` on the same KB_DATA_DIR refuses (use the
    chat's upload, or a Chroma server with KB_CHROMA_URL). Example:

        kb serve --port 8080
    """
    from app.cli_context import embedder_of
    from app.ui import check_bind
    from app.ui import serve as run
    from ingest.lock import writer_lock
    from kb import serve_lock
    from kb.assistant import build_assistant

    settings = ctx.obj["settings"]
    update = {k: v for k, v in (("host", host), ("port", port)) if v is not None}
    settings = settings.model_copy(update=update)
    try:
        check_bind(settings)  # fail before loading the model
        if not settings.chroma_url:
            serve_lock.hold(settings.data_dir, settings.port, settings.host)
            with writer_lock(settings.data_dir):  # refuses while a CLI ingest is writing
                pass
        embedder = embedder_of(ctx)
        startup_check(settings, embedder)
        assistant = build_assistant(settings, embedder)
        run(settings, assistant=assistant)
    except KBError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        serve_lock.release(settings.data_dir)
