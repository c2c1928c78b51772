"""Two fictional funding calls for callkit, the example project of its plugin tutorial.

``nordic-mobility-2030`` is data only (``nordic-mobility-2030.toml`` beside this module),
which callkit reads without importing this package; ``open-science-2030`` is built by
:mod:`callkit_tutorial.open_science`, because one of its rules is a kind of its own.
"""
