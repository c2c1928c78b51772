"""The version of callkit, kept in one place for the build and for ``callkit.__version__``."""

__version__ = "0.1.0"
