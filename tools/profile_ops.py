#!/usr/bin/env python3
"""profile_ops.py: sum a chrome://tracing profile (bench/step_bench with RLVR_STEP_PROFILE=FILE)
by op: calls, total and self time (time not spent in nested ops), sorted by self time.

    RLVR_STEP_PROFILE=/tmp/step.json ./build/bench/step_bench --benchmark_filter='model:1'
    python3 tools/profile_ops.py /tmp/step.json [--top 30] [--stage rollout|old_logp|update]

--stage keeps the ops inside step_bench's "stage:NAME" scopes only (a stage's own profile).
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


def within_stage(events, stage):
    """The events that lie inside a "stage:STAGE" scope of the same thread."""
    spans = [(e.get("tid", 0), float(e["ts"]), float(e["ts"]) + float(e["dur"]))
             for e in events if e["name"] == "stage:" + stage]
    if not spans:
        sys.exit(f"profile_ops: no 'stage:{stage}' scope in the trace")
    return [e for e in events if not e["name"].startswith("stage:") and any(
        tid == e.get("tid", 0) and lo <= float(e["ts"]) and float(e["ts"]) + float(e["dur"]) <= hi
        for tid, lo, hi in spans)]


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
    ap.add_argument("--stage", help="only the ops inside step_bench's stage:STAGE scopes")
    a = ap.parse_args()
    events = load_events(a.trace)
    if a.stage:
        events = within_stage(events, a.stage)
    ops = self_times(events)
    total_self = sum(v[2] for v in ops.values())
    print(f"{'op':40s} {'calls':>8s} {'self ms':>10s} {'share':>7s} {'total ms':>10s} {'us/call':>8s}")
    for name, (calls, tot, slf) in sorted(ops.items(), key=lambda kv: -kv[1][2])[: a.top]:
        print(f"{name[:40]:40s} {calls:8d} {slf / 1e3:10.1f} {slf / total_self:7.1%} {tot / 1e3:10.1f} {tot / calls:8.1f}")
    print(f"{'all ops':40s} {sum(v[0] for v in ops.values()):8d} {total_self / 1e3:10.1f}")


if __name__ == "__main__":
    main()
