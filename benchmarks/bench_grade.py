"""Benchmark: parallel ``medialit grade`` against plain sequential ``nbgrader autograde``.

One run builds a course with one of the kit's assignments and a synthetic class, copies it,
and grades the same submissions twice: ``medialit grade DIR ASSIGNMENT --jobs 2`` in one
copy, ``nbgrader autograde ASSIGNMENT`` (one submission after another, nbgrader's own way)
in the other. It prints both wall times (medians over ``--repeat`` runs), their ratio, the
time per notebook, and the floor: starting a kernel and running an empty notebook. Both
gradebooks must hold the same scores, or the comparison means nothing.

    python benchmarks/bench_grade.py                 # 40 students, a1_claims, jobs 2
    python benchmarks/bench_grade.py --students 60 --repeat 3
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _run(command: list[str], cwd: Path | None = None) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):  # medialit grade exits 1 if a submission failed
        sys.exit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return seconds


def _scores(root: Path, assignment: str) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        return {
            s.student.id: round(float(s.score), 4)
            for s in gb.find_assignment(assignment).submissions
        }


def _reset(root: Path) -> None:
    """Forget earlier grading so each repeat does the full work."""
    shutil.rmtree(root / "autograded", ignore_errors=True)


def _empty_notebook_floor(repeat: int) -> list[float]:
    """Seconds to start a python3 kernel and run a one-cell notebook (nbclient)."""
    import nbformat
    from nbclient import NotebookClient

    times = []
    for _ in range(repeat):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass")])
        nb.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        }
        started = time.perf_counter()
        NotebookClient(nb, timeout=60, kernel_name="python3").execute()
        times.append(time.perf_counter() - started)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--assignment", default="a1_claims")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each (median taken)")
    parser.add_argument("--keep", help="build the courses in this folder and keep them")
    args = parser.parse_args(argv)

    from medialit import course as c

    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-grade-"))
    base.mkdir(parents=True, exist_ok=True)
    try:
        print(
            f"building a course with {args.students} submissions of {args.assignment} ...",
            file=sys.stderr,
        )
        ours = c.init_course(
            base / "medialit", assignments=[args.assignment], progress=lambda m: None
        )
        c.make_demo_submissions(ours, args.assignment, args.students, seed=1)
        plain = base / "nbgrader"
        shutil.copytree(ours.root, plain)
        # the copy's gradebook must be its own
        config = plain / "nbgrader_config.py"
        config.write_text(config.read_text().replace(str(ours.root), str(plain)))

        floor = _empty_notebook_floor(5)  # and again after the runs (load varies)
        parallel, sequential = [], []
        for i in range(args.repeat):
            print(
                f"run {i + 1}/{args.repeat}: medialit grade --jobs {args.jobs} ...", file=sys.stderr
            )
            _reset(ours.root)
            parallel.append(
                _run(
                    [
                        sys.executable,
                        "-m",
                        "medialit",
                        "grade",
                        str(ours.root),
                        args.assignment,
                        "--jobs",
                        str(args.jobs),
                    ]
                )
            )
            print(
                f"run {i + 1}/{args.repeat}: nbgrader autograde (sequential) ...", file=sys.stderr
            )
            _reset(plain)
            sequential.append(
                _run(
                    [sys.executable, "-m", "nbgrader", "autograde", args.assignment, "--force"],
                    cwd=plain,
                )
            )

        floor += _empty_notebook_floor(5)
        mine, theirs = _scores(ours.root, args.assignment), _scores(plain, args.assignment)
        same = mine == theirs
        n = args.students
        t_par, t_seq, t_floor = (statistics.median(x) for x in (parallel, sequential, floor))
        print(f"submissions: {n} of {args.assignment}; repeats: {args.repeat}")
        print(f"sequential nbgrader autograde : {t_seq:7.1f} s  ({t_seq / n:5.2f} s/notebook)")
        print(
            f"medialit grade --jobs {args.jobs:<2}      : {t_par:7.1f} s  "
            f"({t_par / n:5.2f} s/notebook)"
        )
        print(f"speed-up (sequential / parallel): {t_seq / t_par:.2f}x")
        print(
            f"floor, kernel start + empty notebook (median of {len(floor)}): {t_floor:.2f} s"
            f"  -> sequential is "
            f"{t_seq / n / t_floor:.1f}x the floor per notebook, parallel "
            f"{t_par / n / t_floor:.1f}x"
        )
        print(f"same scores in both gradebooks: {'yes' if same else 'NO'}")
        if not same:
            diff = {
                s: (mine.get(s), theirs.get(s))
                for s in set(mine) | set(theirs)
                if mine.get(s) != theirs.get(s)
            }
            print(f"  differences (medialit, nbgrader): {diff}")
        return 0 if same else 1
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
