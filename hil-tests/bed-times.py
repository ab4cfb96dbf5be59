#!/usr/bin/env python3
"""Prints the seconds each test class took in the given bed result files, for hil-tests/bed-times.txt."""
import collections
import sys
import xml.etree.ElementTree as ET

times = collections.Counter()
for path in sys.argv[1:]:
    for test in ET.parse(path).getroot().iter("test"):
        times[test.get("type")] += float(test.get("time", "0"))
print("# Seconds each bed test class took in one bed run (kernel 6.12, TCG); ./test balances its guests with these.")
print("# Refresh with: python3 hil-tests/bed-times.py results/bed/shard*/*.xml > hil-tests/bed-times.txt")
for name, seconds in sorted(times.items(), key=lambda kv: -kv[1]):
    print(f"{seconds:.1f} {name}")
