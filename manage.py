#!/usr/bin/env python
"""Same as the `coproduce` command, for people used to manage.py."""
from coproduce.cli import main

if __name__ == "__main__":
    main()
