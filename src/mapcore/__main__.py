"""``python -m mapcore``: the command line."""

import sys

from mapcore.cli.main import main

sys.exit(main())
