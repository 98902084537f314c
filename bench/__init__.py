"""Benchmarks of the dashboard against data size (see bench/README.md)."""
