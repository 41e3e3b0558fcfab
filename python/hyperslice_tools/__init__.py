"""hyperslice's Python tools, one package: the sweep (sweep.py, sweep_docs.py), the simulator's sweep
(simulate.py), and what they share -- the program and its environment (program.py), results and their
summaries (results.py), tables and plots (tables.py, plots.py), option values (values.py), the seed
report's data (seed.py) and one-line errors (errors.py). scripts/sweep (installed as hyperslice-sweep)
and scripts/simulate are thin front ends; the tests and the bench/ scripts import it too.
Installed in share/hyperslice/python."""
