#!/usr/bin/env python3
"""profile_ops.py: sum a chrome://tracing profile (bench/step_bench with RLVR_STEP_PROFILE=FILE)
by op: calls, total and self time (time not spent in nested ops), sorted by self time.

    RLVR_STEP_PROFILE=/tmp/step.json ./build/bench/step_bench --benchmark_filter='model:1'
    python3 tools/profile_ops.py /tmp/step.json [--top 30]
"""
import argparse
import collections
import json
import sys


def load_events(path):
    try:
        with open(path) as f:
            data = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        sys.exit(f"profile_ops: {path}: {e}")
    events = data if isinstance(data, list) else data.get("traceEvents", [])
    return [e for e in events if e.get("ph") == "X" and "dur" in e]


def self_times(events):
    """Per op name: [calls, total us, self us]. Nesting is per thread, by start and end time."""
    out = collections.defaultdict(lambda: [0, 0.0, 0.0])
    by_tid = collections.defaultdict(list)
    for e in events:
        by_tid[e.get("tid", 0)].append(e)
    for evs in by_tid.values():
        evs.sort(key=lambda e: (float(e["ts"]), -float(e["dur"])))
        stack = []  # [end, name, child time]
        def pop():
            end, name, child, dur = stack.pop()
            out[name][2] += dur - child
        for e in evs:
            ts, dur = float(e["ts"]), float(e["dur"])
            while stack and stack[-1][0] <= ts:
                pop()
            if stack:
                stack[-1][2] += dur
            out[e["name"]][0] += 1
            out[e["name"]][1] += dur
            stack.append([ts + dur, e["name"], 0.0, dur])
        while stack:
            pop()
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("trace")
    ap.add_argument("--top", type=int, default=30)
    a = ap.parse_args()
    ops = self_times(load_events(a.trace))
    total_self = sum(v[2] for v in ops.values())
    print(f"{'op':40s} {'calls':>8s} {'self ms':>10s} {'share':>7s} {'total ms':>10s} {'us/call':>8s}")
    for name, (calls, tot, slf) in sorted(ops.items(), key=lambda kv: -kv[1][2])[: a.top]:
        print(f"{name[:40]:40s} {calls:8d} {slf / 1e3:10.1f} {slf / total_self:7.1%} {tot / 1e3:10.1f} {tot / calls:8.1f}")
    print(f"{'all ops':40s} {sum(v[0] for v in ops.values()):8d} {total_self / 1e3:10.1f}")


if __name__ == "__main__":
    main()
