"""Core library: settings, records, embedding, the index, retrieval and cited answers."""
