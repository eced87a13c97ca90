"""Scale benchmarks of the catalog: `make bench` (python -m benchmarks.run). See README.md, "Benchmarks"."""
