"""`python -m app` runs the `kb` command."""

from app.cli import main

if __name__ == "__main__":
    main()
