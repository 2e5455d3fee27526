"""medialit: a media-literacy course kit for JupyterLab.

The package holds the logic; the notebooks only call it. One concern a module:

- ``article``: the seed article and its sentence units
- ``scheme``: the five-layer tagging scheme, read from ``data/``
- ``answers``: reading and writing a student's saved answers
- ``cli``: the ``medialit`` command
"""

from medialit.errors import MedialitError

__version__ = "0.1.0"

__all__ = ["MedialitError", "__version__"]
