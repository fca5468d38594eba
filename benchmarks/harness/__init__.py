"""What the benchmarks share (a folder, so `make bench` does not run it as one)."""
