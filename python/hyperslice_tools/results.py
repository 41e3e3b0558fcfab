"""A sweep's results: results.json (docs/schema/sweep.schema.json) written and read back, the output
folder, the summary row per point (times, speedup, efficiency), and the context of the runs."""
import json
import os
import shlex
import statistics
import sys
import time

from .errors import UsageError

SCHEMA_VERSION = 1  # of results.json
SHORT = 0.1  # seconds: a run shorter than this is mostly launch noise and timer granularity


def summarise(runs):
    """One row per point: times, mean/median/min, speedup vs the smallest layout, efficiency, terms/s."""
    points = {}
    for r in runs:
        points.setdefault((r["slices"], r["ranks"], r["threads"]), []).append(r)
    rows = []
    for (slices, ranks, threads), rs in sorted(points.items()):
        times = [r["result"]["seconds"] for r in rs if "result" in r]
        terms = next((r["result"]["terms"] for r in rs if "result" in r), None)
        rows.append({"slices": slices, "ranks": ranks, "threads": threads, "processes": ranks * threads,
                     "runs": times, "failed": len(times) < len(rs), "oversubscribed": any(r["oversubscribed"] for r in rs),
                     "mean": statistics.mean(times) if times else None,
                     "median": statistics.median(times) if times else None,
                     "min": min(times) if times else None,
                     "terms_per_second": terms / statistics.median(times) if times else None,
                     "terms": terms,
                     "short": bool(times) and statistics.median(times) < SHORT,
                     # (a simulated run computes no pi: it has none)
                     "pi_hex": sorted({r["result"]["pi_hex"] for r in rs if r.get("result", {}).get("pi_hex")})})
    add_speedup(rows)
    return rows


def add_speedup(rows):
    """Speedup against the smallest layout of the same slice count; efficiency = speedup / relative workers."""
    for slices in {r["slices"] for r in rows}:
        group = [r for r in rows if r["slices"] == slices and r["median"]]
        if not group:
            continue
        base = min(group, key=lambda r: (r["processes"], r["ranks"]))
        for r in group:
            r["speedup"] = base["median"] / r["median"]
            r["efficiency"] = r["speedup"] / (r["processes"] / base["processes"])


def load_results(folder, what="--replot DIR", keys=("argv", "runs", "context", "nodes")):
    """DIR/results.json as a sweep wrote it, or a UsageError naming what is wrong with it."""
    path = os.path.join(folder, "results.json")
    try:
        with open(path) as f:
            d = json.load(f)
    except FileNotFoundError:
        raise UsageError(f"{what}: '{folder}' holds no results.json (give a folder a sweep wrote)")
    except OSError as e:
        raise UsageError(f"{what}: cannot read '{path}': {e.strerror}")
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise UsageError(f"{what}: '{path}' is not JSON ({e})")
    missing = [k for k in keys if not isinstance(d, dict) or k not in d]
    if missing:
        raise UsageError(f"{what}: '{path}' is not a sweep's results.json (no {', '.join(missing)})")
    if not isinstance(d["argv"], list) or not all(isinstance(x, str) for x in d["argv"]) or \
            not isinstance(d["runs"], list) or not isinstance(d["nodes"], dict):
        raise UsageError(f"{what}: '{path}' is not a sweep's results.json (argv, runs or nodes of the wrong type)")
    return d


def make_out(folder, what="--out"):
    """Creates the output folder, or a UsageError saying why it cannot be."""
    try:
        os.makedirs(folder, exist_ok=True)
        probe = os.path.join(folder, ".hyperslice-write-test")
        with open(probe, "w"):
            pass
        os.remove(probe)
    except OSError as e:
        raise UsageError(f"{what}: cannot write into '{folder}': {e.strerror}")


def context_of(runs, argv, started):
    """The context of the first run that worked (version, build, MPI, host, CPU), with the sweep's own
    command line and start time; None when no run worked."""
    first = next((r["result"]["context"] for r in runs if "result" in r), None)
    if first is None:
        return None
    return dict(first, command_line=" ".join(shlex.quote(x) for x in [sys.argv[0], *argv]),
                date=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)))
