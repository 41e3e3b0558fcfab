#!/usr/bin/python3
"""Turns a recording of bench/record_scaling.sh into hyperslice-sweep result folders (results.json, then
the sweep's own tables and plots via --replot) and copies the bench and topology outputs beside them.

  bench/assemble_recording.py RECORDING OUT [--name NAME]

OUT/<NAME>-ranks, -threads, -tune, -seed: one sweep folder each; OUT/<NAME>-bench.json/.txt,
OUT/<NAME>-topology.json, OUT/<NAME>-machine.txt.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SWEEP = os.path.join(os.path.dirname(HERE), "scripts", "sweep")


def grids(terms, powers):
    p = ",".join(str(x) for x in powers)
    common = ["--kernel", "leibniz-grouped", "--repeat", "3", "--terms", terms]
    return {"ranks": ["--ranks", p, "--threads", "1", "--slices", "1024"] + common,
            "threads": ["--ranks", "1", "--threads", p, "--slices", "1024"] + common,
            "tune": ["--tune", "--slices", "128,1024"] + common,
            "seed": ["--ranks", p, "--threads", "1", "--slices", "50,128", "--slice-size", "1000000", "--kernel",
                     "leibniz", "--repeat", "3"]}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("recording")
    ap.add_argument("out")
    ap.add_argument("--name", default="recorded")
    a = ap.parse_args()
    runs = {}
    for grid in ["ranks", "threads", "tune", "seed"]:
        with open(os.path.join(a.recording, f"{grid}.jsonl")) as f:
            runs[grid] = [json.loads(line) for line in f if line.strip()]
    ok = [r for rs in runs.values() for r in rs if "result" in r]
    if not ok:
        raise SystemExit("assemble_recording: no run succeeded in the recording")
    first = ok[0]["result"]["context"]
    cores = max(r["ranks"] * r["threads"] for r in runs["tune"])
    powers = sorted({r["ranks"] for r in runs["ranks"]})
    terms = next(r["command"].split("--terms ")[1].split()[0] for r in runs["ranks"])
    for grid, argv in grids(terms, powers).items():
        folder = os.path.join(a.out, f"{a.name}-{grid}")
        os.makedirs(folder, exist_ok=True)
        context = dict(first, command_line=f"bench/record_scaling.sh (grid {grid}), assembled by "
                                            f"bench/assemble_recording.py")
        with open(os.path.join(folder, "results.json"), "w") as f:
            json.dump({"schema_version": 1, "context": context, "argv": argv, "nodes": {first["hostname"]: cores},
                       "runs": runs[grid], "points": []}, f, indent=1)
        subprocess.run([sys.executable, SWEEP, "--replot", folder], check=True)
    for name in ["bench.json", "bench.txt", "topology.json", "machine.txt"]:
        src = os.path.join(a.recording, name)
        if os.path.exists(src):
            shutil.copy(src, os.path.join(a.out, f"{a.name}-{name}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
