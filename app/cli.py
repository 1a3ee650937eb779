"""The `kb` command: ingest, ask, stats, serve, eval. Each command parses, calls one function, prints."""

from __future__ import annotations

import json
import logging
import os
import sys

import click
from pydantic import ValidationError

from kb.config import Settings
from kb.errors import KBError
from kb.schema import EVIDENCE_TYPES, POPULATIONS, TOPICS

log = logging.getLogger("kb")


def _settings(ctx: click.Context) -> Settings:
    return ctx.obj["settings"]


def _embedder():
    from kb.embed import get_embedder

    settings = _settings(click.get_current_context())
    return get_embedder(settings.embed_backend, settings.models_dir)


class KBGroup(click.Group):
    """Turns a KBError from any command into a one-line message and exit 1 (unless --debug)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KBError as exc:
            if (ctx.obj or {}).get("debug"):
                raise
            raise click.ClickException(str(exc)) from None


@click.group(cls=KBGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show full tracebacks instead of one-line errors.")
@click.version_option(package_name="mdma-access-kb")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Knowledge base on MDMA-assisted therapy for PTSD: efficacy, safety, stigma and access.

    Every KB_* environment variable is a setting (see README). Example:

        kb ingest && kb ask "Does insurance cover MDMA-assisted therapy?"
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        settings = Settings()
    except ValidationError as exc:
        err = exc.errors()[0]
        name = "KB_" + str(err["loc"][0]).upper() if err.get("loc") else "a KB_ variable"
        raise click.UsageError(f"{name}: {err['msg']}") from None
    ctx.obj = {"settings": settings, "debug": debug}


@cli.command()
@click.argument("inputs", nargs=-1)
@click.option("--strict", is_flag=True, help="Exit 1 if anything was skipped.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bars.")
@click.option("--title", default="", help="Correct the title (one file only).")
@click.option("--author", "authors", multiple=True,
              help="Correct the author, e.g. 'Christian Rigg' (repeatable; one file only).")
@click.option("--date", default="", help="Correct the date, YYYY-MM-DD (one file only).")
@click.option("--url", default="", help="Correct the link citations show (one file only).")
@click.option("--outlet", default="", help="Correct the outlet or publisher (one file only).")
@click.pass_context
def ingest(ctx: click.Context, inputs: tuple[str, ...], strict: bool, as_json: bool,
           quiet: bool, title: str, authors: tuple[str, ...], date: str, url: str,
           outlet: str) -> None:
    """Add files, folders or http(s) URLs to the index (default: the bundled knowledge base).

    Reads .md (with YAML front matter), .txt, .html/.htm, .pdf and .docx; the title, author,
    date and outlet of a page or file are extracted (a NAME.meta.yaml beside it, or the flags
    for one file, correct them). Unchanged documents are not re-embedded; a folder's removed
    files are removed from the index. Example:

        kb ingest kb/documents ~/notes/report.pdf https://example.org/article.html
        kb ingest ~/saved/article.txt --author "Christian Rigg" --date 2020-03-23
    """
    from ingest.meta import corrections_from_flags
    from ingest.pipeline import run_ingest

    corrections = None
    if title or authors or date or url or outlet:
        try:
            corrections = corrections_from_flags(list(inputs), title=title, authors=authors,
                                                 date=date, url=url, outlet=outlet)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None
    report = run_ingest(_settings(ctx), list(inputs), _embedder(), progress=not quiet,
                        corrections=corrections)
    click.echo(json.dumps(report.to_dict(), indent=2) if as_json else report.summary())
    if report.read and report.ingested == 0:
        raise click.ClickException("nothing could be ingested (see the reasons above).")
    if not report.read and report.skipped:
        raise click.ClickException("nothing could be ingested (see the reasons above).")
    if strict and report.skipped:
        raise click.ClickException(f"--strict: {len(report.skipped)} item(s) skipped.")


@cli.command()
@click.argument("question")
@click.option("--topic", "topics", multiple=True, type=click.Choice(TOPICS),
              help="Only passages with this topic (repeatable).")
@click.option("--population", "populations", multiple=True, type=click.Choice(POPULATIONS),
              help="Only passages about this population (repeatable).")
@click.option("--evidence", "evidence_types", multiple=True, type=click.Choice(EVIDENCE_TYPES),
              help="Only passages of this evidence type (repeatable).")
@click.option("--doc", "doc_ids", multiple=True, help="Only this document id (repeatable).")
@click.option("--k", type=click.IntRange(1, 50), default=None, help="Passages to retrieve.")
@click.option("--mode", type=click.Choice(["hybrid", "dense", "bm25"]), default="hybrid",
              show_default=True, help="Retrieval mode.")
@click.option("--history", multiple=True, help="An earlier question in the conversation.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_context
def ask(ctx: click.Context, question: str, topics, populations, evidence_types, doc_ids, k,
        mode, history, as_json: bool) -> None:
    """Answer a question with numbered citations, or say the knowledge base does not cover it.

        kb ask "What did the phase 3 trials find?" --topic efficacy --json
    """
    from kb.assistant import build_assistant
    from kb.retrieve import Filters

    if not question.strip():
        raise click.BadParameter("the question is empty.", param_hint="QUESTION")
    assistant = build_assistant(_settings(ctx), _embedder())
    filters = Filters(tuple(topics), tuple(populations), tuple(evidence_types), tuple(doc_ids))
    answer = assistant.ask(question, history=history, filters=filters, k=k, mode=mode)
    if as_json:
        click.echo(json.dumps(answer.to_dict(), indent=2, ensure_ascii=False))
        return
    click.echo(answer.answer)
    if answer.notice:
        click.echo(f"\nNote: {answer.notice}")
    if answer.citations:
        click.echo("\nSources:")
        for c in answer.citations:
            where = f"{c.title} > {c.section}" if c.section else c.title
            click.echo(f"[{c.n}] {where} ({c.evidence_type or 'document'}, as of "
                       f"{c.as_of or 'n/a'})\n    {c.source}")
    click.echo(f"\n{answer.disclaimer}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Documents, chunks, per-topic counts, the model and where the index lives.

        kb stats --json
    """
    from kb import store
    from kb.catalog import describe_index

    settings = _settings(ctx)
    col = store.open_collection(settings)
    info = describe_index(col, settings.where())
    if as_json:
        info = {k: v for k, v in info.items() if k != "document_list"}
        click.echo(json.dumps(info, indent=2))
        return
    click.echo(f"index:      {info['where']} (collection {info['collection']})")
    click.echo(f"model:      {info['embedding_model']}  chunker: {info['chunker_version']}")
    click.echo(f"built:      {info['built_at'] or 'never'}  version {info['index_version']}")
    click.echo(f"documents:  {info['documents']}  chunks: {info['chunks']}")
    click.echo(f"current to: {info['current_to'] or 'n/a'} (latest as-of date, curated documents)")
    click.echo("topics:")
    for topic, n in info["topics"].items():
        click.echo(f"  {topic:<12} {n['documents']:>3} documents {n['chunks']:>5} chunks")


def main() -> None:
    """Entry point: KBError -> one line and exit 1; anything else is logged, never a traceback."""
    debug = "--debug" in sys.argv
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except Exception:
        if debug:
            raise
        path = _log_unexpected()
        click.echo(f"Error: an unexpected problem occurred; details were written to {path}. "
                   "Run again with --debug to see them here.", err=True)
        sys.exit(1)


def _log_unexpected() -> str:
    try:
        settings = Settings()
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        path = settings.log_path
    except Exception:
        path = "kb-error.log"
    logging.basicConfig(filename=str(path), level=logging.INFO)
    log.exception("unexpected error in %s", " ".join(sys.argv))
    return str(path)


def _register_optional() -> None:
    """Commands that live in their own modules (chat, eval) attach themselves here."""
    for module in ("app.cli_serve", "app.cli_eval"):
        try:
            __import__(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise


_register_optional()
