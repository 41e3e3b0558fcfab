"""The seed report's measurements (its Tables 2 and 3, docs/seed.md): mean seconds by processes, for its
two slice counts of 1,000,000 terms, mpi4py on its own cluster. Shown beside our tables and plots."""


SEED = {50: {4: 9.04, 8: 6.27, 16: 3.76, 32: 2.31, 64: 2.74, 128: 4.33},
        128: {4: 24.37, 8: 12.37, 16: 9.02, 32: 4.82, 64: 4.38, 128: 5.27}}
PROCESSES = sorted(SEED[50])
