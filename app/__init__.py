"""The edges people touch: the `kb` command and the Gradio chat."""
