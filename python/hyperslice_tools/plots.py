"""scaling.png and scaling.svg: time, speedup and efficiency against processes (a sweep), or the median
time per ranks x threads layout (--tune). matplotlib is optional: without it there are no plots."""
import os
import sys

from .results import SHORT
from .seed import SEED


def pyplot():
    """matplotlib's pyplot drawing to files, or None (with a note) where matplotlib is missing."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        sys.stderr.write("sweep: matplotlib missing (apt-get install python3-matplotlib): no plots\n")
        return None
    return plt


def suptitle(fig, title, context):
    """Workload, hosts, date and version: a plot must say what it shows without the code."""
    if context:
        sub = (f"{context['hostname']} ({context.get('cpu_model') or 'unknown CPU'}), {context['date'][:10]}, "
               f"hyperslice {context['version']}, {context['mpi_library']}")
    else:
        sub = "no run succeeded"
    fig.suptitle(f"{title}\n{sub}", fontsize=10)


def series_label(rows, slices, fixed, value, differing_work):
    """A series holds one slice count and one value of the layout dimension that does not vary along it."""
    if fixed == "threads":
        label = f"{slices} slices, {value} thread{'s' if value > 1 else ''}/rank"
    else:
        label = f"{slices} slices, {value} rank{'s' if value > 1 else ''}, threads varied"
    terms = {r["terms"] for r in rows if r["slices"] == slices and r["terms"]}
    if differing_work and len(terms) == 1:
        label += f" ({terms.pop():.3g} terms)"
    return label


def plot(out, rows, title, context, seed_compare):
    plt = pyplot()
    if plt is None:
        return
    good = [r for r in rows if r["median"]]
    procs = sorted({r["processes"] for r in good})
    differing_work = len({r["terms"] for r in good}) > 1
    any_over = any(r["oversubscribed"] for r in good)
    any_short = any(r["short"] for r in good)
    if len(procs) <= 1:  # one layout size: a line would be a dot; bars compare the series instead
        fig, ax = plt.subplots(figsize=(8, 4.8))
        labels = [f"{r['slices']} slices, {r['ranks']} x {r['threads']}" + (" *" if r["oversubscribed"] else "") +
                  (" !" if r["short"] else "") for r in good]
        ax.barh(labels, [r["median"] for r in good], color=["tab:red" if r["oversubscribed"] else "tab:blue" for r in good])
        ax.set_xlabel("median seconds (ranks x threads per bar; * oversubscribed, ! under %.1f s)" % SHORT)
        ax.invert_yaxis()
        ax.grid(True, axis="x", alpha=0.3)
        suptitle(fig, title, context)
        fig.tight_layout()
        save(fig, out, plt)
        return
    # A series runs along the dimension that varies: ranks (threads per rank fixed), or, when the grid
    # has one rank count, threads.
    fixed = "ranks" if len({r["ranks"] for r in good}) == 1 and len({r["threads"] for r in good}) > 1 else "threads"
    fig, axes = plt.subplots(1, 3, figsize=(16, 5.2))
    for slices in sorted({r["slices"] for r in good}):
        for value in sorted({r[fixed] for r in good}):
            g = sorted([r for r in good if r["slices"] == slices and r[fixed] == value], key=lambda r: r["processes"])
            if not g:
                continue
            threads = g[0]["threads"]
            label = series_label(good, slices, fixed, value, differing_work)
            xs = [r["processes"] for r in g]
            line, = axes[0].plot(xs, [r["median"] for r in g], marker="o", label=label)
            axes[1].plot(xs, [r.get("speedup") for r in g], marker="o", color=line.get_color(), label=label)
            axes[2].plot(xs, [r.get("efficiency") for r in g], marker="o", color=line.get_color(), label=label)
            for ax, key in zip(axes, ["median", "speedup", "efficiency"]):
                over = [r for r in g if r["oversubscribed"]]
                ax.scatter([r["processes"] for r in over], [r.get(key) for r in over], marker="x", s=80, color="red", zorder=5)
                short = [r for r in g if r["short"]]
                ax.scatter([r["processes"] for r in short], [r.get(key) for r in short], marker="o", s=110,
                           facecolors="none", edgecolors="black", zorder=6)
            if seed_compare and threads == 1 and slices in SEED:
                seed = sorted(SEED[slices].items())
                axes[0].plot([p for p, _ in seed], [t for _, t in seed], linestyle="--", marker="s", markersize=4,
                             color=line.get_color(), alpha=0.6, label=f"seed report, {slices} slices (mpi4py, 2019)")
    # Ideal speedup only where the cores are not oversubscribed: beyond them it is not an expectation.
    base = min((r["processes"] for r in good), default=1)
    fair = sorted({r["processes"] for r in good if not r["oversubscribed"]})
    if len(fair) > 1:
        axes[1].plot(fair, [p / base for p in fair], linestyle="--", color="gray", label="ideal (cores not oversubscribed)")
        axes[2].plot(fair, [1.0] * len(fair), linestyle="--", color="gray")
    xlabel = "processes (ranks x threads)"
    notes = (["red x: oversubscribed"] if any_over else []) + ([f"hollow: median under {SHORT} s"] if any_short else [])
    if notes:
        xlabel += "\n" + "; ".join(notes)
    for ax, t in zip(axes, ["time (median s)", "speedup vs smallest layout", "parallel efficiency"]):
        ax.set_xscale("log", base=2)
        ax.set_xlabel(xlabel)
        ax.set_title(t, fontsize=10)
        ax.grid(True, alpha=0.3)
    if seed_compare:
        axes[0].set_yscale("log")
    # Efficiency from 0: a truncated axis would turn a 10% drop into a cliff.
    axes[2].set_ylim(0, max([1.1] + [1.05 * r["efficiency"] for r in good if r.get("efficiency")]))
    axes[0].legend(fontsize=7)
    axes[1].legend(fontsize=7)
    suptitle(fig, title, context)
    fig.tight_layout()
    save(fig, out, plt)


def plot_tune(out, rows, title, context):
    """The tuning grid as grouped bars: one group per ranks x threads layout (every factorisation of the
    cores), one bar per slice count, the median seconds written on each, the best outlined in red. (A
    ranks x threads heatmap would be empty but for its anti-diagonal.)"""
    plt = pyplot()
    if plt is None:
        return
    from matplotlib.patches import Patch
    good = [r for r in rows if r["median"]]
    layouts = sorted({(r["ranks"], r["threads"]) for r in good})
    slice_counts = sorted({r["slices"] for r in good})
    best = min(good, key=lambda r: r["median"]) if good else None
    fig, ax = plt.subplots(figsize=(max(7, 1.6 * len(layouts) + 2), 4.8))
    width = 0.8 / max(1, len(slice_counts))
    handles = []
    for i, slices in enumerate(slice_counts):
        xs, ys, edges = [], [], []
        for j, (ranks, threads) in enumerate(layouts):
            r = next((x for x in good if (x["ranks"], x["threads"], x["slices"]) == (ranks, threads, slices)), None)
            if r is None:
                continue
            xs.append(j + (i - (len(slice_counts) - 1) / 2) * width)
            ys.append(r["median"])
            edges.append("red" if r is best else "none")
            ax.text(xs[-1], r["median"], f"{r['median']:.3f}" + (" *" if r["oversubscribed"] else "") +
                    (" !" if r["short"] else ""), ha="center", va="bottom", fontsize=7)
        bars = ax.bar(xs, ys, width)
        for patch, edge in zip(bars, edges):
            if edge == "red":
                patch.set_edgecolor("red")
                patch.set_linewidth(2.5)
        handles.append(Patch(facecolor=bars.patches[0].get_facecolor(), label=f"{slices} slices"))
    ax.set_xticks(range(len(layouts)), [f"{r} x {t}" for r, t in layouts])
    ax.set_xlabel("ranks x threads per rank" + ("; red outline: best" if best else ""))
    ax.set_ylabel("median seconds (lower is better)")
    ax.set_ylim(0, max((r["median"] for r in good), default=1) * 1.15)
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend(handles=handles, fontsize=8)
    suptitle(fig, title, context)
    fig.tight_layout()
    save(fig, out, plt)


def save(fig, out, plt):  # noqa: E303
    fig.savefig(os.path.join(out, "scaling.png"), dpi=100, bbox_inches="tight")
    fig.savefig(os.path.join(out, "scaling.svg"), bbox_inches="tight")
    plt.close(fig)
