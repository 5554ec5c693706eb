#!/usr/bin/env python3
"""
run.py: runs every tests/api/t*.py file and prints the summary line
`N passed, N failed` (followed by `, N skipped` when tests were skipped).
Exits non-zero on any failure or error.

usage: run.py [-v] [-k PATTERN] [FILE...]
"""

import argparse
import os
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("-k", dest="patterns", action="append", help="only tests matching (unittest -k)")
    ap.add_argument("files", nargs="*", help="test files (default: every t*.py)")
    args = ap.parse_args()
    sys.path.insert(0, HERE)
    loader = unittest.TestLoader()
    if args.patterns:
        loader.testNamePatterns = ["*%s*" % p if "*" not in p else p for p in args.patterns]
    if args.files:
        suite = unittest.TestSuite()
        for f in args.files:
            mod = os.path.splitext(os.path.basename(f))[0]
            suite.addTests(loader.loadTestsFromName(mod))
    else:
        suite = loader.discover(HERE, pattern="t[0-9]*.py", top_level_dir=HERE)
    runner = unittest.TextTestRunner(verbosity=2 if args.verbose else 1, stream=sys.stdout)
    t0 = time.monotonic()
    result = runner.run(suite)
    bad = result.failures + result.errors
    # an error in setUpClass/tearDownClass is reported on a holder, not a test that ran:
    # it counts as one failure and takes nothing from the tests that passed
    failed_tests = len({id(t) for t, _ in bad if isinstance(t, unittest.TestCase)})
    class_errors = len([t for t, _ in bad if not isinstance(t, unittest.TestCase)])
    failed = failed_tests + class_errors + len(result.unexpectedSuccesses)
    skipped = len(result.skipped)
    passed = max(result.testsRun - failed_tests - skipped - len(result.expectedFailures)
                 - len(result.unexpectedSuccesses), 0)
    line = "%d passed, %d failed" % (passed, failed)
    if skipped:
        line += ", %d skipped" % skipped
    print("(%.1f s)" % (time.monotonic() - t0))
    print(line)
    sys.stdout.flush()
    return 1 if failed or not result.wasSuccessful() else 0


if __name__ == "__main__":
    sys.exit(main())
