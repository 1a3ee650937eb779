"""`kb stats`: what the index holds; `--check` also verifies its integrity."""

from __future__ import annotations

import json

import click

from app.cli_context import embedder_of, settings_of


def _print(info: dict) -> None:
    click.echo(f"index:      {info['where']} (collection {info['collection']})")
    click.echo(f"model:      {info['embedding_model']}  chunker: {info['chunker_version']}")
    click.echo(f"built:      {info['built_at'] or 'never'}  version {info['index_version']}")
    click.echo(f"documents:  {info['documents']}  chunks: {info['chunks']}")
    click.echo(f"current to: {info['current_to'] or 'n/a'} (latest as-of date, curated documents)")
    click.echo("topics:")
    for topic, n in info["topics"].items():
        click.echo(f"  {topic:<12} {n['documents']:>3} documents {n['chunks']:>5} chunks")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--check", is_flag=True,
              help="Also check integrity (manifest, Chroma ids and the BM25 view agree; vectors "
                   "have the model's dimension and find their own chunk); exit 1 on a problem.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool, check: bool) -> None:
    """Documents, chunks, per-topic counts, the model and where the index lives.

    Refuses (exit 1) an index built with another embedding backend. Example:

        kb stats --check
    """
    from kb.catalog import describe_index
    from kb.embedders import model_name
    from kb.lexical import LexicalIndex
    from kb.store import Index

    settings = settings_of(ctx)
    index = Index.open(settings, expect={"embedding_model": model_name(settings.embed_backend)})
    info = describe_index(index)
    half_written = str(info["index_version"]).startswith("writing-")
    report = None
    if check:
        chunks = index.chunks()
        view = LexicalIndex([c.embed_text() for c in chunks])  # what a server's BM25 sees
        ids = [c.chunk_id for c in chunks][:view.size]
        report = index.check(embedder_of(ctx).dim, view_ids=ids, sample=50)
    if as_json:
        info = {k: v for k, v in info.items() if k != "document_list"}
        info["half_written"] = half_written
        if report is not None:
            info["integrity"] = {"ok": report.ok, "problems": report.problems, "fix": report.fix}
        click.echo(json.dumps(info, indent=2))
    else:
        _print(info)
        if report is not None:
            click.echo(report.summary())
    if half_written and not check:
        click.echo("Warning: the index is half-written (an ingest was interrupted): the counts "
                   "above are partial. Run `kb ingest` to finish it.", err=True)
    if report is not None and not report.ok:
        raise click.ClickException(f"the index has {len(report.problems)} integrity problem(s); "
                                   f"{report.fix}.")
