"""``python -m minifw``: the command line (see ``minifw --help``)."""

from ._cli import main

raise SystemExit(main())
