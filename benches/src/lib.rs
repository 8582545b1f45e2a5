//! Benchmarks only: criterion benches under `benches/`, ratios by `ratios.py`.
