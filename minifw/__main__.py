"""``python -m minifw``: the command line (see ``minifw --help``)."""

from .cli import main

raise SystemExit(main())
