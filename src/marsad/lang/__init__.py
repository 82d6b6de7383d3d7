"""Language data (lexicons) kept as YAML files beside the engine, loaded once and cached.

`load("ar", "actors")` reads src/marsad/lang/ar/actors.yaml. Files are data an analyst edits;
the engine compiles them (see marsad.extract.lexicon) and never hard-codes a word.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def load(lang: str, name: str) -> Any:
    """The parsed YAML file `lang/<lang>/<name>.yaml` (cached: treat it as read-only)."""
    path = resources.files("marsad.lang").joinpath(lang, f"{name}.yaml")
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)
