#!/usr/bin/python3
"""Reference values for the kernel tests, from Debian's python3-mpmath (run: tests/data/make_reference.py).

leibniz: the exact partial sum 4*S_N = pi - (-1)^N (psi(N/2 + 3/4) - psi(N/2 + 1/4)), psi = digamma.
midpoint: the exact midpoint rule h * sum 4/(1 + x_i^2), x_i = h (i + 1/2), h = 1/N (exact h and x_i).
Each entry: the correctly rounded double (C99 hex) and how far the exact value lies from it, in ulps
of that double (in [-0.5, 0.5]), so a test can bound its own error in ulps exactly.
"""
import json
import sys

import mpmath
from mpmath import mp, mpf

mp.prec = 256


def rounded(x):
    d = float(mpmath.libmp.to_float(x._mpf_, rnd="n"))
    ulp = mpf(2) ** (mpmath.libmp.mpf_frexp(mpf(d)._mpf_)[1] - 53) if d != 0 else mpf(0)
    off = (x - mpf(d)) / ulp if d != 0 else mpf(0)
    return {"hex": d.hex(), "decimal": mpmath.nstr(x, 30), "exact_minus_rounded_ulps": float(off)}


def leibniz(n):
    sign = -1 if n % 2 else 1
    return mp.pi - sign * (mpmath.digamma(mpf(n) / 2 + mpf(3) / 4) - mpmath.digamma(mpf(n) / 2 + mpf(1) / 4))


def midpoint(n):
    h = mpf(1) / n
    return h * mpmath.fsum(4 / (1 + (h * (i + mpf(1) / 2)) ** 2) for i in range(n))


LEIBNIZ_N = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 100, 1001, 65535, 65536, 65537, 3 * 65536 + 5,
             1048575, 1048576, 1048577, 1000003, 10**7 + 1, 128000000, 10**9, 10**9 + 7, 10**10]
MIDPOINT_N = [1, 2, 3, 10, 100, 1000, 4097, 65537]

out = {
    "generator": "tests/data/make_reference.py (mpmath %s, %d-bit precision)" % (mpmath.__version__, mp.prec),
    "leibniz": [dict(terms=n, **rounded(leibniz(n))) for n in LEIBNIZ_N],
    "midpoint": [dict(terms=n, **rounded(midpoint(n))) for n in MIDPOINT_N],
}
json.dump(out, sys.stdout, indent=1)
print()
