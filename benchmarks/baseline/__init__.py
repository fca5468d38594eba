"""The yardstick for benchmarks/api_load.py: what bare Pyramid can do on this stack (kept out of
`make bench`'s loop by living in a folder)."""
