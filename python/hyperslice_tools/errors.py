"""Errors a user can fix, said in one line: every front end (hyperslice-sweep, scripts/simulate) runs
under guarded(), so no traceback reaches a user."""
import argparse
import os
import sys


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2 (argparse's default prints the whole usage too)
        raise UsageError(message)


def one_line(e):
    """An exception as one line for the user."""
    if isinstance(e, OSError):
        return f"{e.filename + ': ' if e.filename else ''}{e.strerror or e}"
    text = str(e).strip().splitlines()
    return f"{type(e).__name__}: {text[0] if text else ''}"


def guarded(prog, run, argv):
    """Runs run(argv) so that no traceback reaches a user: bad input is one line '<prog>: error: ...' and
    exit 2, Ctrl-C one line and 130. HYPERSLICE_DEBUG=1 lets other exceptions through, for developers."""
    try:
        return run(argv)
    except UsageError as e:
        sys.stderr.write(f"{prog}: error: {e}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write(f"{prog}: interrupted\n")
        return 130
    except Exception as e:  # noqa: BLE001 -- the last line of defence; the message names the cause
        if os.environ.get("HYPERSLICE_DEBUG"):
            raise
        sys.stderr.write(f"{prog}: error: {one_line(e)}\n")
        return 2


def write_file(path, text, what):
    try:
        with open(path, "w") as f:
            f.write(text)
    except OSError as e:
        raise UsageError(f"{what}: cannot write '{path}': {e.strerror}")
    return 0
