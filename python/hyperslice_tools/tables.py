"""scaling.csv and scaling.md: one row per point, the seed's layout (processes, run 1..k, mean) and ours."""
import csv
import os

from .results import SHORT
from .seed import SEED


def write_tables(out, rows, repeat, title, seed_compare):
    keys = ["slices", "ranks", "threads", "processes", "terms"] + [f"run{i + 1}" for i in range(repeat)] + \
           ["mean", "median", "min", "speedup", "efficiency", "terms_per_second", "oversubscribed", "short", "failed"]
    with open(os.path.join(out, "scaling.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(keys)
        for r in rows:
            runs = r["runs"] + [None] * (repeat - len(r["runs"]))
            w.writerow([r["slices"], r["ranks"], r["threads"], r["processes"], r["terms"], *runs, r["mean"], r["median"],
                        r["min"], r.get("speedup"), r.get("efficiency"), r["terms_per_second"], r["oversubscribed"],
                        r["short"], r["failed"]])
    fmt = lambda v, spec=".3f": "-" if v is None else format(v, spec)
    with open(os.path.join(out, "scaling.md"), "w") as f:
        f.write(f"# {title}\n\n")
        for slices in sorted({r["slices"] for r in rows}):
            terms = sorted({r["terms"] for r in rows if r["slices"] == slices and r["terms"]})
            f.write(f"## {slices} slices" + (f", {terms[0]:.3g} terms" if len(terms) == 1 else "") +
                    "\n\n| processes (ranks x threads) | " + " | ".join(f"run {i + 1}" for i in range(repeat)) +
                    " | mean s | median s | min s | speedup | efficiency | terms/s |" +
                    (" seed mean s |" if seed_compare else "") + "\n")
            f.write("|---" * (1 + repeat + 6 + (1 if seed_compare else 0)) + "|\n")
            for r in [x for x in rows if x["slices"] == slices]:
                mark = (" *" if r["oversubscribed"] else "") + (" !" if r["short"] else "") + \
                       (" (failed)" if r["failed"] else "")
                runs = [fmt(t) for t in r["runs"]] + ["failed"] * (repeat - len(r["runs"]))
                seed = SEED.get(slices, {}).get(r["processes"]) if seed_compare and r["threads"] == 1 else None
                f.write(f"| {r['processes']} ({r['ranks']} x {r['threads']}){mark} | " + " | ".join(runs) +
                        f" | {fmt(r['mean'])} | {fmt(r['median'])} | {fmt(r['min'])} | {fmt(r.get('speedup'), '.2f')} | "
                        f"{fmt(r.get('efficiency'), '.2f')} | {fmt(r['terms_per_second'], '.3g')} |" +
                        (f" {fmt(seed, '.2f')} |" if seed_compare else "") + "\n")
            f.write("\n")
        f.write("`*` oversubscribed: ranks x threads above the cores of a node (speedup and efficiency there measure "
                f"sharing, not scaling). `!` median under {SHORT} s: too short to time well (launch and timer noise); "
                "`--min-seconds` scales the work up. Times are hyperslice's own timer (barrier to exact reduction), "
                "medians of the runs." + (" Seed means: the 2019 report's Tables 2-3 (docs/seed.md), mpi4py on its "
                "own cluster." if seed_compare else "") + "\n")
