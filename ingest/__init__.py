"""Ingestion: files and URLs -> Document -> Chunk -> vectors -> the index."""
