#!/usr/bin/env python3
"""Prints each bench group's results as ratios to its `raw-…` baseline, from criterion's estimates.

Run after `cargo bench -p tiwire-benches`: python3 benches/ratios.py [target/criterion]
"""
import json
import pathlib
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target/criterion")
groups = {}
for est in root.glob("**/new/estimates.json"):
    bench = est.parent.parent
    group = bench.parent.relative_to(root)
    groups.setdefault(str(group), {})[bench.name] = json.loads(est.read_text())["median"]["point_estimate"]

for group, results in sorted(groups.items()):
    base = [v for k, v in results.items() if k.startswith("raw")]
    if not base:
        continue
    for name, ns in sorted(results.items()):
        print(f"{group:28} {name:22} {ns / 1000:10.1f} µs  {ns / base[0]:5.2f}x")
