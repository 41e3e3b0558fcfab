"""The values the front ends' options take, each checked with its own message."""
import argparse
import math


def positive_integer(text):
    """A positive integer written as 128000000, 1e10 or 1.28e8; None if it is not one."""
    try:
        v = float(text)
    except ValueError:
        return None
    if not math.isfinite(v) or v <= 0 or v != int(v) or v > 2 ** 63:
        return None
    return int(v)


def int_list(text):
    values = [positive_integer(x) for x in text.split(",") if x.strip()]
    if any(v is None for v in values):
        raise argparse.ArgumentTypeError(f"expected a comma-separated list of positive integers, got '{text}'")
    return values


def count(text):
    v = positive_integer(text)
    if v is None:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got '{text}'")
    return v


def seconds(text):
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds (a positive number), got '{text}'")
    if not 0 < v <= 86400:
        raise argparse.ArgumentTypeError(f"expected seconds between 0 and 86400, got '{text}'")
    return v
