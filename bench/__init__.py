"""The benchmark (``python -m bench``) and the probes it shares with the tests (``bench.probes``).

Not part of the product: ``pyproject.toml`` ships ``explainer*`` only."""
