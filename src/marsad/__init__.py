"""marsad: conflict news reports in, sourced casualty incident records out."""

__version__ = "0.1.0"
