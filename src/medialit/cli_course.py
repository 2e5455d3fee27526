"""Instructor commands: ``course init``, ``course add-article``, ``course demo``, ``grade``,
``feedback``, ``export``."""

from __future__ import annotations

import argparse
import sys

from medialit import course as c
from medialit import course_mode


def cmd_init(args: argparse.Namespace) -> int:
    made = c.init_course(
        args.dir,
        db_url=args.db,
        source=args.source,
        assignments=args.assignment or None,
        timeout=args.timeout,
    )
    print(f"Course ready in {made.root}")
    print(f"  gradebook: {made.db_url}")
    print(f"  assignments: {', '.join(made.assignments())} (student copies in release/)")
    print(
        f"  course mode: the lessons' expert checks for these assignments are closed "
        f"({made.root / course_mode.CONFIG_NAME}). On a JupyterHub, set "
        f"{course_mode.ENV_VAR} to that file in every student's environment; reopen an "
        f"assignment's checks after feedback with 'medialit course checks open NAME "
        f"--config {made.root}'."
    )
    print(
        "Next: collect submissions into submitted/<student>/<assignment>/, then "
        f"'medialit grade {args.dir} <assignment>'."
    )
    return 0


def cmd_grade(args: argparse.Namespace) -> int:
    report = c.grade(
        args.dir,
        args.assignment,
        jobs=args.jobs,
        wait=args.wait,
        students=args.student or None,
    )
    if args.format == "table":
        c.print_grade_report(report)
    else:
        from medialit.cli import emit

        emit(report.to_frame(), args.format)
    print(
        f"(also saved as {c.REPORTS}/grades-{args.assignment}.csv in the course folder)",
        file=sys.stderr,
    )
    return 1 if any(r.status == "failed" for r in report.results) else 0


def cmd_feedback(args: argparse.Namespace) -> int:
    files = c.feedback(args.dir, args.assignment, wait=args.wait)
    print(
        f"{len(files)} feedback files in {c.open_course(args.dir).root / 'feedback'} "
        "(no hidden test or answer key in any). Return them with "
        f"'nbgrader release_feedback {args.assignment}' or hand them out."
    )
    return 0


def cmd_collect_zips(args: argparse.Namespace) -> int:
    from medialit.course.lms_zips import collect_zips

    done = collect_zips(args.dir, args.assignment, args.zips, force=args.force)
    print(
        f"{len(done.placed)} submissions of {args.assignment} placed in "
        f"{c.open_course(args.dir).root / 'submitted'}."
    )
    for problem in done.problems:
        print(f"  - {problem}")
    if done.placed:
        print(f"Next: medialit grade {args.dir} {args.assignment}")
    return 0 if not any("not placed" in p for p in done.problems) else 1


def cmd_hub_init(args: argparse.Namespace) -> int:
    from pathlib import Path

    from medialit.hub import read_class_list, write_hub

    students = list(args.student or [])
    if args.students:
        students += read_class_list(Path(args.students))
    out = args.out or str(Path(args.course) / "deploy")
    written = write_hub(
        out,
        args.course,
        args.instructor or [],
        students,
        port=args.port,
        exchange=args.exchange,
        trial_password=args.trial_password,
    )
    here = Path(written[0]).parent
    print(f"Hub files for {len(students)} students in {here}. As root, run once:")
    print(f"  bash {here / 'setup.sh'}")
    print("then start the hub:")
    print(f"  {sys.executable} -m jupyterhub -f {here / 'jupyterhub_config.py'}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    both = not args.per_question and not args.lms
    written = c.export(
        args.dir,
        out=args.out,
        per_question_csv=args.per_question or both,
        lms=args.lms or ("canvas" if both else None),
    )
    for path in written:
        print(f"wrote {path}")
    return 0


def cmd_add_article(args: argparse.Namespace) -> int:
    from medialit.course.add_article import add_article

    added = add_article(args.course, args.dir, name=args.name, replace=args.replace)
    root = c.open_course(args.course).root
    print(f"Added {added.name} to the course in {root}:")
    from medialit.assignment_build import points_text

    for it in added.plan.items:
        count = len(it.units)
        graded = f", {count} sentence{'s' * (count != 1)} graded" if it.kind == "tags" else ""
        if it.kind == "thesis":  # the instructor should see which sentence the key names
            key = ", ".join(added.plan.keys[it.id])
            graded = f"; options {', '.join(it.units)}; the key: {key}"
        print(f"  {it.id}: {it.title} ({points_text(it.points)}{graded})")
    for line in added.plan.not_asked:
        print(f"  not asked: {line}")
    print(
        f"  assignment: source/{added.name}/ ({added.points:g} points, the key in its "
        f"hidden tests only); lessons: source/{added.name}_lessons/ (6 notebooks)"
    )
    print(
        f"  releases generated and checked: no graded answer in release/{added.name}/ or "
        f"release/{added.name}_lessons/; course mode closes its checks until feedback."
    )
    print(
        f"Next: nbgrader release_assignment {added.name}_lessons and {added.name}; after "
        f"collecting, 'medialit grade {args.course} {added.name}'."
    )
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    summary = c.demo(
        args.dir,
        students=args.students,
        assignment=args.assignment,
        jobs=args.jobs,
        seed=args.seed,
        timeout=args.timeout,
    )
    print()
    print("\n".join(summary.lines()))
    return 0


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {value}")
    return value


def _add_wait(parser: argparse.ArgumentParser) -> None:
    """--wait: grade and feedback take the same assignment lock (``medialit.course.lock``)."""
    parser.add_argument(
        "--wait",
        type=float,
        default=c.DEFAULT_WAIT,
        help="seconds to wait while another grader holds this assignment, then stop "
        "(default: %(default)s; 0: stop at once)",
    )


def register(sub: argparse._SubParsersAction) -> None:
    """Add the instructor commands to the ``medialit`` parser."""
    p = sub.add_parser(
        "course",
        help="set up an nbgrader course, or try the whole workflow",
        description="Set up an nbgrader course folder, or run a demo of the "
        "whole grading workflow on a synthetic class.",
    )
    course_sub = p.add_subparsers(dest="course_command", metavar="ACTION", required=True)

    q = course_sub.add_parser(
        "init",
        help="make a ready nbgrader course folder",
        description="Make a ready nbgrader course folder: the kit's assignments as sources, "
        "their student release generated (never with saved answers), and a config with the "
        "kit's grading on: autograde scores from students' saved answers without running "
        "their code, deleted test cells are restored, feedback carries no hidden test. "
        "The gradebook is SQLite unless --db is given.",
    )
    q.add_argument("dir", help="a new folder for the course")
    q.add_argument(
        "--db",
        help="an SQLAlchemy URL for the gradebook, e.g. "
        "postgresql://user@host:5432/course (needs: pip install 'medialit[postgres]'); "
        "checked before anything is made (default: SQLite in the folder)",
    )
    q.add_argument(
        "--assignment",
        action="append",
        metavar="NAME",
        help="only this assignment (repeat for more; default: all)",
    )
    q.add_argument(
        "--source", help="a folder of nbgrader source assignments (default: the kit's own)"
    )
    q.add_argument(
        "--timeout",
        type=_positive,
        default=c.DEFAULT_CELL_TIMEOUT,
        help="seconds a cell may run in 'nbgrader validate' (default: %(default)s)",
    )
    q.set_defaults(func=cmd_init)

    q = course_sub.add_parser(
        "add-article",
        help="add your own article's lessons and graded assignment to a course",
        description="Add an article folder (article.txt, reference.csv, optional "
        "article.json; see 'medialit article new') to a course: six lessons on it (roles, "
        "statements, evidence, words, framing, agreement) and a graded assignment built from "
        "the reference's anchor units (genre, thesis, tags per layer), hidden tests holding "
        "the keys. Both releases are generated and checked: nothing a student receives holds "
        "an answer the assignment grades. The reference is checked first; on any problem "
        "nothing is written.",
    )
    q.add_argument("course", help="the course folder ('medialit course init')")
    q.add_argument("dir", help="the article folder")
    q.add_argument("--name", help="the assignment's name (default: the folder's name)")
    q.add_argument(
        "--replace",
        action="store_true",
        help="rebuild an article added before (e.g. after correcting its reference), as long "
        "as no student has handed it in",
    )
    q.set_defaults(func=cmd_add_article)

    q = course_sub.add_parser(
        "demo",
        help="the whole workflow on a synthetic class",
        description="Set up a course, write synthetic submissions, grade them from their "
        "answers files, generate feedback, export the grades and draw the grade "
        "distribution: the fastest way to see the whole workflow.",
    )
    q.add_argument("dir", help="a new folder for the demo course")
    q.add_argument("--students", type=_positive, default=30, help="class size (default: 30)")
    q.add_argument("--assignment", help="which assignment (default: the first)")
    q.add_argument("--jobs", type=_positive, default=2, help="grading processes (default: 2)")
    q.add_argument("--seed", type=int, default=0, help="random seed of the synthetic class")
    q.add_argument(
        "--timeout",
        type=_positive,
        default=c.DEFAULT_CELL_TIMEOUT,
        help="seconds a cell may run in 'nbgrader validate' (default: %(default)s)",
    )
    q.set_defaults(func=cmd_demo)

    q = course_sub.add_parser(
        "checks",
        help="close or reopen the lessons' expert checks for graded assignments",
        description="Course mode. While an assignment is being graded, the lessons' expert "
        "checks for its items stay closed, so they cannot hand students the answers; reopen "
        "them after feedback is released. 'init' closes every assignment's checks, 'open' "
        "and 'lock' change the named ones ('all' for every one), 'status' lists them. "
        "Without any course settings file, every check is open (self-study).",
    )
    course_mode.add_arguments(q)

    p = sub.add_parser(
        "grade",
        help="autograde every submission of an assignment from its saved answers",
        description="Grade every submission in submitted/<student>/ASSIGNMENT/. Each "
        "autograded question is scored in this process from the answers file as handed in, "
        "against the key in the course's source/ folder: no student code runs, so nothing "
        "typed in a notebook can change a grade. Links, devices and oversized files in a "
        "submission are refused and reported. Each submission is checked first (renamed, "
        "unreadable or missing notebook, deleted, duplicated, moved or edited cells, answers "
        "file missing, misplaced, corrupt or for another assignment, answers identical to "
        "another student's); one broken submission never stops the batch, and a failed "
        "result never replaces an earlier grade. One grader per assignment at a time: a "
        "second run waits for the first (--wait). Ends with a score table and the problems "
        "per student. Exit status 1 if any submission could not be graded.",
    )
    p.add_argument("dir", help="the course folder")
    p.add_argument("assignment", help="the assignment name, e.g. a1_claims")
    p.add_argument("--jobs", type=_positive, default=2, help="processes that score (default: 2)")
    _add_wait(p)
    p.add_argument("--timeout", type=_positive, default=None, help=argparse.SUPPRESS)
    p.add_argument("--budget", type=float, default=None, help=argparse.SUPPRESS)
    p.add_argument(
        "--student", action="append", metavar="ID", help="grade only this student (repeat for more)"
    )
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.set_defaults(func=cmd_grade)

    p = sub.add_parser(
        "feedback",
        help="feedback for students, with no hidden test or answer key",
        description="Generate each student's HTML feedback (nbgrader generate_feedback) with "
        "hidden tests and their tracebacks removed, then check every file for answer-key "
        "strings; a file that would leak one is deleted and the command fails.",
    )
    p.add_argument("dir", help="the course folder")
    p.add_argument("assignment", help="the assignment name")
    _add_wait(p)
    p.set_defaults(func=cmd_feedback)

    p = sub.add_parser(
        "hub",
        help="the files for a class on one JupyterHub server",
        description="Write a JupyterHub configuration for the course: system users, the "
        "nbgrader exchange, instructors with formgrader, students with the assignment list "
        "and validate only, course mode read by every student's kernel.",
    )
    hub_sub = p.add_subparsers(dest="hub_command", metavar="ACTION", required=True)
    q = hub_sub.add_parser("init", help="write the hub's files (jupyterhub_config.py, setup.sh)")
    q.add_argument("course", help="the course folder ('medialit course init')")
    q.add_argument("--instructor", action="append", metavar="USER", help="repeat for more")
    q.add_argument("--student", action="append", metavar="USER", help="repeat for more")
    q.add_argument("--students", metavar="FILE", help="class list: one user a line, or CSV with id")
    q.add_argument("--out", help="where to write them (default: COURSE/deploy)")
    q.add_argument("--port", type=_positive, default=8000, help="(default: %(default)s)")
    q.add_argument("--exchange", default="/srv/nbgrader/exchange", help="(default: %(default)s)")
    q.add_argument(
        "--trial-password",
        help="one shared password instead of the system's (PAM): for a trial, never a class",
    )
    q.set_defaults(func=cmd_hub_init)

    p = sub.add_parser(
        "collect-zips",
        help="place submissions downloaded from Canvas or Moodle, answers files included",
        description="Read LMS downloads (Canvas's flat 'Download Submissions' zip, Moodle's "
        "'Download all submissions' zip, in folders or flat; a zip a student uploaded is "
        "opened too), match each student to the gradebook's class list (student id, "
        "lms_user_id or name), and put the notebook in submitted/<student>/ASSIGNMENT/ and "
        "the saved answers file in its answers/ folder. Submissions that cannot be placed "
        "are listed; exit status 1 if any.",
    )
    p.add_argument("dir", help="the course folder")
    p.add_argument("assignment", help="the assignment name, e.g. a1_claims")
    p.add_argument("zips", nargs="+", metavar="ZIP", help="the downloaded zip file(s)")
    p.add_argument("--force", action="store_true", help="replace submissions already in submitted/")
    p.set_defaults(func=cmd_collect_zips)

    p = sub.add_parser(
        "export",
        help="per-question grades and an LMS gradebook CSV",
        description="Write reports/grades-per-question.csv (student, assignment, notebook, "
        "question, score, max, graded_by auto|manual, needs_grading) and "
        "reports/gradebook-<lms>.csv (totals per assignment, laid out for a Canvas or "
        "Moodle gradebook import). With no option, both (Canvas).",
    )
    p.add_argument("dir", help="the course folder")
    p.add_argument("--per-question", action="store_true", help="write the long per-question CSV")
    p.add_argument("--lms", choices=("canvas", "moodle"), help="write an LMS gradebook CSV")
    p.add_argument("--out", help="folder for the CSV files (default: <dir>/reports)")
    p.set_defaults(func=cmd_export)
