"""``python -m callkit``: the same as the ``callkit`` command."""

from callkit._cli import run

run()
