"""``python -m callkit``: the same as the ``callkit`` command."""

import sys

from callkit._cli import main

sys.exit(main())
