"""The measurements `python -m bench.run` makes, one method per section, results into one dict."""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

from bench import ask_latency, curve, ingest_speed, load, peer, ratios, safety_screen, scale, scifact, serving
from bench.indexes import ingest_cached
from bench.questions import hit_at_k, is_relevant
from bench.stats import summarise
from eval.sets import DEFAULT_SET, load_eval_set
from kb.config import Settings


class Suite:
    def __init__(self, args, results: dict) -> None:
        self.args = args
        self.results = results
        self.quick = args.quick
        self.data: Path = args.data
        self.backends = [b for b in args.backends.split(",") if b]
        self._bundled: dict[str, Settings] = {}

    # -- shared pieces ---------------------------------------------------------------------
    def section(self, name: str) -> dict:
        return self.results["sections"].setdefault(name, {})

    def available(self, backend: str) -> bool:
        """onnx-int8 needs the `onnx` package once, to build its model."""
        if backend != "onnx-int8":
            return True
        cached = list((self.data / "bundled-onnx-int8" / "models").glob("*.onnx"))
        return bool(cached) or importlib.util.find_spec("onnx") is not None

    def embedder(self, backend: str):
        from kb.embedders import get_embedder

        return get_embedder(backend, self.data / f"bundled-{backend}" / "models")

    def bundled(self, backend: str) -> Settings:
        """The bundled knowledge base indexed with this backend (incremental, kept between runs)."""
        if backend not in self._bundled:
            settings = Settings(data_dir=self.data / f"bundled-{backend}", embed_backend=backend)
            ingest_cached(settings, None, self.embedder(backend))
            self._bundled[backend] = settings
        return self._bundled[backend]

    def questions(self):
        qs = load_eval_set(DEFAULT_SET)
        return qs[:15] if self.quick else qs

    def each_backend(self, name: str, fn) -> None:
        out = self.section(name)
        for backend in self.backends:
            if not self.available(backend):
                out[backend] = {"skipped": "the `onnx` package is not installed"}
                continue
            out[backend] = fn(backend)

    # -- sections ----------------------------------------------------------------------------
    def ask(self) -> None:
        rounds = 1 if self.quick else 3
        self.each_backend("ask", lambda b: ask_latency.run(
            self.embedder(b), self.bundled(b), self.questions(), rounds))

    def safety(self) -> None:
        """The safety screen's own cost per message, against the query embedding it reuses."""
        self.each_backend("safety", lambda b: safety_screen.run(
            self.embedder(b), 1 if self.quick else 3))

    def ingest(self) -> None:
        from kb.embed import load_sentence_transformer

        reference = load_sentence_transformer()
        self.each_backend("ingest", lambda b: ingest_speed.run(
            self.embedder(b), reference, repeats=1 if self.quick else 5,
            cli_reingest=not self.quick or b == "torch"))

    def peer(self) -> None:
        """Ours and the LangChain peer on the bundled documents and the eval questions."""
        from kb.assistant import build_assistant

        out = self.section("peer")
        questions = [q for q in self.questions() if q.answerable]
        docs = bundled_documents()
        p = peer.Peer(docs, self.data / "peer-bundled")
        texts = [q.question for q in questions]
        assistants = {b: build_assistant(self.bundled(b), self.embedder(b))
                      for b in self.backends if self.available(b)}
        for text in texts[:5]:  # warm up every side
            p.search(text)
            for assistant in assistants.values():
                assistant.ask(text)
        # Interleaved question by question, so load on the machine falls on every side alike.
        peer_ms, found = [], []
        ours = {b: {"ask": [], "retrieve": [], "embed": [], "hits": 0} for b in assistants}
        for q in questions:
            t0 = time.perf_counter()
            found.append(p.search(q.question))
            peer_ms.append((time.perf_counter() - t0) * 1000)
            for b, assistant in assistants.items():
                t0 = time.perf_counter()
                ans = assistant.ask(q.question)
                ours[b]["ask"].append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                assistant.embedder.embed_query(q.question)
                ours[b]["embed"].append((time.perf_counter() - t0) * 1000)
                ours[b]["retrieve"].append(ans.timings_ms.get("retrieve", 0.0))
                ours[b]["hits"] += hit_at_k(q, [(h.chunk.doc_id, h.chunk.text)
                                                for h in ans.retrieved], 5)
        out["peer"] = {"queries": len(questions), "chunks": p.chunks, "build_s": p.build_s,
                       "search_ms": summarise(peer_ms),
                       "hit_at_5": round(sum(hit_at_k(q, f, 5) for q, f in
                                             zip(questions, found, strict=True))
                                         / max(len(questions), 1), 4),
                       "pipeline": "RecursiveCharacterTextSplitter(1000, 200) + Chroma + "
                                   "HuggingFaceEmbeddings, similarity_search k=5"}
        for b, o in ours.items():
            out[f"ours-{b}"] = {
                "queries": len(questions), "chunks": len(assistants[b].retriever.chunks),
                "ask_ms": summarise(o["ask"]), "retrieve_ms": summarise(o["retrieve"]),
                "embed_query_ms": summarise(o["embed"]),
                "hit_at_5": round(o["hits"] / max(len(questions), 1), 4)}
            out[f"ours-{b}"]["ratios"] = ratios.ask_ratios(out, b)

    def scale(self) -> None:
        out = self.section("scale")
        source = scifact.find_scifact()
        if source is None:
            out["skipped"] = "SciFact not found (../shared/benchmarks/beir/scifact)"
            return
        limit = 200 if self.quick else None
        out["source"] = str(source)
        self.each_backend("scale", lambda b: scale.run(self.embedder(b), source, self.data, limit))
        rows = scifact.read_corpus(source, limit)
        docs = [(r["_id"], f"{r.get('title', '')}\n\n{r.get('text', '')}".strip()) for r in rows]
        queries = scifact.read_test_queries(source, {r["_id"] for r in rows})
        tag = f"-{limit}" if limit else ""
        p = peer.Peer(docs, self.data / f"peer-scifact{tag}")
        out["peer"] = peer.measure(p, [c for _, c, _ in queries],
                                   lambda i, found: any(d in queries[i][2] for d, _ in found))

    def curve(self) -> None:
        """The cost curve on the first backend: synthetic knowledge bases up to 250k chunks."""
        out = self.section("curve")
        source = scifact.find_scifact()
        if source is None:
            out["skipped"] = "SciFact not found (../shared/benchmarks/beir/scifact)"
            return
        backend = self.backends[0]
        sizes, limit = ((2_000,), 200) if self.quick else (curve.SIZES, None)
        out[backend] = curve.run(self.embedder(backend), source, self.data, sizes, limit,
                                 models_dir=self.data / f"bundled-{backend}" / "models")
        if not self.quick and str(self.args.doc) not in ("", "."):
            from bench.curve_plot import plot

            plot(out[backend], self.args.doc.parent / "benchmarks-scale.png")

    def serve(self) -> None:
        repeats = 1 if self.quick else 3
        warm = [q.question for q in self.questions()[:20]]

        def measure(backend: str) -> dict:
            settings = self.bundled(backend)
            runs = [serving.cold_start(settings.data_dir, warm[0],
                                       {"KB_EMBED_BACKEND": backend}, warm[1:],
                                       log=self.data / f"serve-{backend}.log")
                    for _ in range(repeats)]
            bare = [serving.bare_start(backend, self.data / f"bundled-{backend}" / "models")
                    for _ in range(repeats)]
            first = summarise([r["first_answer_s"] for r in runs])
            bare_s = summarise(bare)
            return {"runs": runs, "first_answer_s": first, "bare_import_and_load_s": bare_s,
                    "cold_start_ratio": ratios.ratio(first["p50"], bare_s["p50"]),
                    "http_up_s": summarise([r["http_up_s"] for r in runs]),
                    "peak_rss_mb": max(r["peak_rss_mb"] for r in runs)}

        self.each_backend("serve", measure)

    def load(self) -> None:
        """Simulated users against one server on the first backend; then a burst past the queue."""
        from kb.assistant import build_assistant

        out = self.section("load")
        backend = self.backends[0]
        settings = self.bundled(backend)
        assistant = build_assistant(settings, self.embedder(backend))
        questions = [q.question for q in self.questions()]
        expected = {q: assistant.ask(q).answer for q in questions}
        seconds = 5.0 if self.quick else self.args.load_seconds
        users = min(self.args.users, 5) if self.quick else self.args.users
        env = {"KB_EMBED_BACKEND": backend}
        with serving.running_server(settings.data_dir, env,
                                    self.data / "load-server.log") as (proc, url, _):
            serving.wait_until_up(proc, url)
            sampler = serving.RssSampler(proc.pid).start()
            try:
                out["users"] = load.simulate_users(url, questions, expected, users, seconds)
            finally:
                sampler.stop()
            out["users"]["peak_rss_mb"] = round(sampler.peak_mb, 1)
            out["users"]["backend"] = backend
            out["users"]["server"] = {"KB_CONCURRENCY": settings.concurrency,
                                      "KB_MAX_QUEUE": settings.max_queue}
        small = {**env, "KB_MAX_QUEUE": "2", "KB_CONCURRENCY": "1"}
        with serving.running_server(settings.data_dir, small,
                                    self.data / "burst-server.log") as (proc, url, _):
            serving.wait_until_up(proc, url)
            q = questions[0]
            out["burst"] = load.burst(url, q, expected[q], 12 if self.quick else 30)
            out["burst"]["server"] = {"KB_CONCURRENCY": 1, "KB_MAX_QUEUE": 2}


def bundled_documents() -> list[tuple[str, str]]:
    """(doc id, text) of the bundled knowledge base, as our loader reads it (front matter off)."""
    import tempfile

    from ingest.load import discover, load_item
    from kb.config import BUNDLED_DOCUMENTS

    items, _ = discover([str(BUNDLED_DOCUMENTS)])
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp))
        docs = [load_item(item, settings)[0] for item in items]
    return [(d.doc_id, d.text) for d in docs]


__all__ = ["Suite", "bundled_documents", "is_relevant"]
