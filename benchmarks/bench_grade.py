"""Benchmark: ``medialit grade`` against sequential plain ``nbgrader autograde`` with kernels.

For each class size (default 40 and 500 submissions of one assignment) one run builds a
course with the kit's config and a synthetic class (``make_demo_submissions``, seed 1) and
measures, on that same class:

- ``medialit grade DIR ASSIGNMENT --jobs J`` as a subprocess: the headline figure. It
  includes starting the interpreter and importing the kit, which is also printed on its own
  (``python -m medialit grade --help``). The in-process call ``course.grade(...)`` is timed
  too, for comparison;
- the baseline, the kit's grading from before answers were scored in the grader's process:
  plain ``nbgrader autograde ASSIGNMENT --force``, one submission after another, in a copy of
  the course whose ``nbgrader_config.py`` puts back nbgrader's default autograde
  preprocessors (``Execute`` first: a kernel runs every notebook). It takes about 1-2 s per
  submission, so by default it runs on the smallest class only and the others get an
  estimate from its seconds per submission, clearly labelled; ``--baseline-all`` runs it
  for every size;
- the floor: reading every submission's files (the notebook and the answers file, bytes
  read and JSON-parsed) in this process, median of 5 before and 5 after the grading runs.

Timings are medians over ``--repeat`` runs; before each run ``autograded/`` is removed and
the gradebook is put back as it was before any grading, so every run does the full work.
Where the baseline ran, both gradebooks must hold the same score for every student, or the
comparison means nothing: exit status 1 then, 0 otherwise (targets met or not).

    python benchmarks/bench_grade.py                       # 40 and 500, a1_claims, jobs 2
    python benchmarks/bench_grade.py --sizes 40 --repeat 3
    python benchmarks/bench_grade.py --baseline-all        # the 500 baseline too (~15 min)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

#: Appended to the baseline copy's ``nbgrader_config.py``: nbgrader's default autograde
#: preprocessors (kernels executing) and no pre-convert hook, i.e. the kit before the change.
BASELINE_CONFIG = """
# --- bench_grade.py: the baseline, nbgrader's default autograde (kernels executing) ---
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    Execute,
    IgnorePattern,
    LimitOutput,
    SaveAutoGrades,
)
from nbconvert.preprocessors import ClearMetadataPreprocessor

c.Autograde.autograde_preprocessors = [
    Execute,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]
c.Autograde.pre_convert_hook = None
"""

#: The issue's targets.
TARGET_SPEEDUP, TARGET_SPEEDUP_AT = 10.0, 40
TARGET_SECONDS, TARGET_SECONDS_AT = 60.0, 500
TARGET_FLOOR_RATIO = 5.0


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _run(command: list[str], cwd: Path | None = None) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    if done.returncode == 1:  # some submission failed; the score check below will tell
        _log(f"warning: {' '.join(command[1:4])} exited 1:\n{done.stderr[-1500:]}")
    return seconds


def _scores(root: Path, assignment: str) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        return {
            s.student.id: round(float(s.score), 4)
            for s in gb.find_assignment(assignment).submissions
        }


def _snapshot(root: Path) -> None:
    shutil.copy2(root / "gradebook.db", root / "gradebook.db.bench-fresh")


def _reset(root: Path) -> None:
    """Forget earlier grading so each run does the full work: no autograded folders, and
    the gradebook as it was before any grading (assignment and cells, no students)."""
    shutil.rmtree(root / "autograded", ignore_errors=True)
    for suffix in ("-journal", "-wal", "-shm"):
        (root / f"gradebook.db{suffix}").unlink(missing_ok=True)
    shutil.copy2(root / "gradebook.db.bench-fresh", root / "gradebook.db")


def _read_floor(folders: list[Path], notebooks: list[str], answers: str) -> float:
    """Seconds to read and JSON-parse every submission's notebook(s) and answers file."""
    started = time.perf_counter()
    for folder in folders:
        for name in notebooks:
            json.loads((folder / name).read_bytes())
        json.loads((folder / "answers" / answers).read_bytes())
    return time.perf_counter() - started


def _startup(repeat: int = 3) -> list[float]:
    """Seconds for ``python -m medialit grade --help``: interpreter start and imports."""
    return [_run([sys.executable, "-m", "medialit", "grade", "--help"]) for _ in range(repeat)]


@dataclass
class Size:
    n: int
    medialit: list[float] = field(default_factory=list)  # subprocess, the headline
    in_process: list[float] = field(default_factory=list)
    nbgrader: list[float] = field(default_factory=list)  # empty: baseline not run
    floor: list[float] = field(default_factory=list)
    same: bool | None = None  # None: not compared (baseline not run)
    differences: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    scored: int = 0

    @property
    def t_medialit(self) -> float:
        return statistics.median(self.medialit)

    @property
    def t_in_process(self) -> float:
        return statistics.median(self.in_process)

    @property
    def t_nbgrader(self) -> float | None:
        return statistics.median(self.nbgrader) if self.nbgrader else None

    @property
    def t_floor(self) -> float:
        return statistics.median(self.floor)


def _bench_size(args, base: Path, n: int, baseline: bool) -> Size:
    from medialit import course as c

    a = args.assignment
    result = Size(n)
    here = base / f"class-{n}"
    _log(f"[{n}] building a course with {n} submissions of {a} ...")
    ours = c.init_course(here / "medialit", assignments=[a], progress=lambda m: None)
    c.make_demo_submissions(ours, a, n, seed=1)
    _snapshot(ours.root)
    plain = here / "nbgrader"
    if baseline:
        shutil.copytree(ours.root, plain)
        config = plain / "nbgrader_config.py"
        # the copy's gradebook must be its own; then nbgrader's default autograde
        text = config.read_text().replace(str(ours.root), str(plain))
        config.write_text(text + BASELINE_CONFIG)

    names = ours.submissions(a)
    folders = [ours.root / "submitted" / s / a for s in names]
    notebooks = [p.name for p in ours.release_notebooks(a)]
    floor = [_read_floor(folders, notebooks, f"{a}.json") for _ in range(5)]

    for i in range(args.repeat):
        run = f"[{n}] run {i + 1}/{args.repeat}:"
        _log(f"{run} medialit grade in-process (course.grade, jobs {args.jobs}) ...")
        _reset(ours.root)
        started = time.perf_counter()
        c.grade(ours.root, a, jobs=args.jobs, progress=lambda m: None)
        result.in_process.append(time.perf_counter() - started)
        _log(f"{run} python -m medialit grade --jobs {args.jobs} ...")
        _reset(ours.root)
        command = [sys.executable, "-m", "medialit", "grade", str(ours.root), a]
        result.medialit.append(_run([*command, "--jobs", str(args.jobs)]))
        if baseline:
            _log(f"{run} nbgrader autograde, sequential, kernels executing (slow) ...")
            _reset(plain)
            result.nbgrader.append(
                _run([sys.executable, "-m", "nbgrader", "autograde", a, "--force"], cwd=plain)
            )

    floor += [_read_floor(folders, notebooks, f"{a}.json") for _ in range(5)]
    result.floor = floor
    mine = _scores(ours.root, a)
    result.scored = len(mine)
    if baseline:
        theirs = _scores(plain, a)
        result.same = mine == theirs and len(mine) == n
        result.differences = {
            s: (mine.get(s), theirs.get(s))
            for s in sorted(set(mine) | set(theirs))
            if mine.get(s) != theirs.get(s)
        }
    return result


def _fmt_min(seconds: float) -> str:
    return f"{seconds / 60:.1f} min" if seconds >= 90 else f"{seconds:.0f} s"


def _report(args, sizes: list[Size], startup: float, loads: list[float]) -> bool:
    """Print the summary; return True if every compared gradebook pair agrees."""
    measured = [s for s in sizes if s.t_nbgrader is not None]
    per_sub_baseline = None
    if measured:
        ref = max(measured, key=lambda s: s.n)
        per_sub_baseline = (ref.t_nbgrader / ref.n, ref.n)

    print()
    print(
        f"medialit grade vs sequential nbgrader autograde (kernels executing): {args.assignment}, "
        f"--jobs {args.jobs}, {os.cpu_count()} CPUs, median of {args.repeat} run(s) each"
    )
    print(
        f"medialit = 'python -m medialit grade' as a subprocess, including interpreter start "
        f"and imports ({startup:.2f} s alone for 'python -m medialit grade --help', median of 6)"
    )
    print(
        "floor = reading + JSON-parsing every submission's notebook and answers file, "
        "in-process, median of 10 (5 before, 5 after grading)"
    )
    load = " / ".join(f"{x:.1f}" for x in loads)
    print(f"load average (1 min) before / after: {load} (other work on the machine skews timings)")
    print()
    head = (
        f"{'subs':>5} | {'medialit s':>10} {'s/sub':>7} {'in-proc s':>9} | "
        f"{'nbgrader s':>12} {'s/sub':>6} | {'nbg/ml':>7} | "
        f"{'floor s':>8} {'ms/sub':>7} | {'ml/floor':>8} {'in-proc/floor':>13}"
    )
    print(head)
    print("-" * len(head))
    for s in sizes:
        ml, ip, fl = s.t_medialit, s.t_in_process, s.t_floor
        if s.t_nbgrader is not None:
            nbg, nbg_sub = f"{s.t_nbgrader:12.1f}", f"{s.t_nbgrader / s.n:6.2f}"
            ratio = f"{s.t_nbgrader / ml:6.1f}x"
        elif per_sub_baseline is not None:
            est = per_sub_baseline[0] * s.n
            nbg, nbg_sub = f"~{est:.0f} est".rjust(12), f"~{per_sub_baseline[0]:.2f}".rjust(6)
            ratio = f"~{est / ml:.0f}x"
        else:
            nbg, nbg_sub, ratio = f"{'-':>12}", f"{'-':>6}", "-"
        print(
            f"{s.n:>5} | {ml:10.2f} {ml / s.n:7.4f} {ip:9.2f} | {nbg} {nbg_sub} | {ratio:>7} | "
            f"{fl:8.4f} {fl / s.n * 1000:7.3f} | {ml / fl:7.0f}x {ip / fl:12.0f}x"
        )
    for s in sizes:
        if s.t_nbgrader is None:
            if per_sub_baseline is not None:
                sub, at = per_sub_baseline
                print(
                    f"  {s.n}: nbgrader baseline not run ({sub:.2f} s/submission measured at "
                    f"{at} -> about {_fmt_min(sub * s.n)} ESTIMATED; --baseline-all runs it)"
                )
            else:
                print(f"  {s.n}: nbgrader baseline not run")
    print()

    ok = True
    for s in sizes:
        if s.same is None:
            print(f"scores, {s.n}: not compared (baseline not run); {s.scored} graded by medialit")
        elif s.same:
            print(f"scores, {s.n}: the same in both gradebooks for all {s.n} students")
        else:
            ok = False
            print(
                f"scores, {s.n}: DIFFER in {len(s.differences)} of {s.n} "
                f"(medialit, nbgrader): {s.differences}"
            )
    print()

    by_n = {s.n: s for s in sizes}
    s40 = by_n.get(TARGET_SPEEDUP_AT)
    cores = f"--jobs {args.jobs}, {os.cpu_count()} CPUs"
    if s40 is None or s40.t_nbgrader is None:
        print(f"target >= {TARGET_SPEEDUP:g}x at {TARGET_SPEEDUP_AT}: not checked (not measured)")
    else:
        speedup = s40.t_nbgrader / s40.t_medialit
        verdict = "met" if speedup >= TARGET_SPEEDUP else "NOT met"
        print(
            f"target >= {TARGET_SPEEDUP:g}x faster than sequential nbgrader at "
            f"{TARGET_SPEEDUP_AT} ({cores}): {verdict} ({speedup:.1f}x: "
            f"{s40.t_nbgrader:.1f} s vs {s40.t_medialit:.2f} s)"
        )
    s500 = by_n.get(TARGET_SECONDS_AT)
    if s500 is None:
        print(f"target < {TARGET_SECONDS:g} s at {TARGET_SECONDS_AT}: not checked (not measured)")
    else:
        verdict = "met" if s500.t_medialit < TARGET_SECONDS else "NOT met"
        print(
            f"target < {TARGET_SECONDS:g} s for {TARGET_SECONDS_AT} submissions: {verdict} "
            f"({s500.t_medialit:.2f} s, {s500.t_medialit / s500.n * 1000:.1f} ms/submission)"
        )
    for s in sizes:
        ratio = s.t_medialit / s.t_floor
        verdict = "met" if ratio <= TARGET_FLOOR_RATIO else "NOT met"
        print(
            f"target <= {TARGET_FLOOR_RATIO:g}x the floor per submission at {s.n}: {verdict} "
            f"({s.t_medialit / s.n * 1000:.2f} ms vs {s.t_floor / s.n * 1000:.3f} ms = "
            f"{ratio:.0f}x; in-process {s.t_in_process / s.n * 1000:.2f} ms = "
            f"{s.t_in_process / s.t_floor:.0f}x)"
        )
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="40,500", help="class sizes, comma-separated (default: %(default)s)"
    )
    parser.add_argument("--assignment", default="a1_claims")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each (median taken)")
    parser.add_argument(
        "--baseline-all",
        action="store_true",
        help="run the nbgrader baseline for every size (default: the smallest only)",
    )
    parser.add_argument("--keep", help="build the courses in this folder and keep them")
    args = parser.parse_args(argv)
    try:
        ns = sorted({int(x) for x in args.sizes.split(",") if x.strip()})
    except ValueError:
        parser.error(f"--sizes: not a list of numbers: {args.sizes!r}")
    if not ns or ns[0] < 1 or args.repeat < 1 or args.jobs < 1:
        parser.error("--sizes, --repeat and --jobs must be 1 or more")

    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-grade-"))
    base.mkdir(parents=True, exist_ok=True)
    try:
        loads = [os.getloadavg()[0]]
        startup = _startup()
        sizes = [_bench_size(args, base, n, args.baseline_all or n == ns[0]) for n in ns]
        startup += _startup()
        loads.append(os.getloadavg()[0])
        return 0 if _report(args, sizes, statistics.median(startup), loads) else 1
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
