#!/usr/bin/env python3
"""Splits bed test classes (one per line on stdin) into at most SHARDS xunit filter lines.

Usage: bed-shards.py SHARDS TIMES_FILE. A class weighs its seconds in TIMES_FILE (lines
"SECONDS CLASS", written by hil-tests/bed-times.py from a bed run); a class not listed weighs the
median. Heaviest first, each class goes to the lightest shard. Every shard but the last names its
classes; the last excludes all of those, so a class added since the times were taken still runs.
"""
import statistics, sys
shards = int(sys.argv[1])
times = {}
try:
    for line in open(sys.argv[2]):
        parts = line.split()
        if len(parts) == 2 and not line.startswith("#"):
            times[parts[1]] = float(parts[0])
except FileNotFoundError:
    pass
classes = [c.strip() for c in sys.stdin if c.strip()]
default = statistics.median(times.values()) if times else 1.0
shards = max(1, min(shards, len(classes)))
bins = [[0.0, []] for _ in range(shards)]
for c in sorted(classes, key=lambda c: -times.get(c, default)):
    target = min(bins, key=lambda b: b[0])
    target[0] += times.get(c, default)
    target[1].append(c)
# An empty filter would run every class: only shards that got classes print one.
named = [b[1] for b in bins[:-1] if b[1]]
for names in named:
    print(" ".join(f"-class {c}" for c in names))
print(" ".join(f"-class- {c}" for names in named for c in names))
