"""The mock source systems of the analytics pipeline."""
