"""Benchmarks behind `make bench`: latency, ingest throughput, scale, a LangChain peer, serving."""
