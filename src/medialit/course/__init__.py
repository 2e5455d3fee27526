"""The instructor's side: an nbgrader course, graded from students' saved answers.

One module per step, the way nbgrader keeps one preprocessor per file:

=================  ==========================================================================
``folder``         the course folder and running nbgrader in it
``init_course``    ``medialit course init``: a course folder with the kit's settings
``database``       the gradebook URL, checked before a course is made
``settings``       the kit's nbgrader settings (``configure_nbgrader``)
``release``        the student release, never carrying saved answers
``lms_zips``       ``medialit collect-zips``: Canvas and Moodle downloads placed
``intake``         reading a handed-in submission as hostile bytes (links, sizes refused)
``preflight``      what is wrong with a submission (renamed, deleted or moved cells, ...)
``keys``           the answer key, read as data from the instructor's ``source/``
``sanitize``       the student's notebook with locked and test cells put back
``scoring_step``   each test cell scored from the answers file (in place of ``Execute``)
``submission``     the steps above for one submission, in memory
``gradebook``      complete results only, in batches, each student all or nothing
``lock``           one grader per assignment at a time
``batch``          ``medialit grade``: the whole class, report and progress
``results``        the grade report
``preprocessor``   the scoring step as an nbgrader preprocessor for plain ``nbgrader``
``feedback``       ``medialit feedback``, checked for answer keys
``hide_keys``      the feedback preprocessor that strips hidden tests
``export``         per-question and LMS CSV files
``demo``           ``medialit course demo``
``add_article``    ``medialit course add-article``: an instructor's own article, key in source/
``article_plan``   which of its anchors are graded, their keys, the rows students never get
``article_notebooks``  its assignment and lesson notebooks
``article_lessons``    the lessons' copy of the key: graded rows and giveaway reasons held back
=================  ==========================================================================

How a grade is made, and why no student can forge it: see ``batch`` and ``scoring_step``.
The modules import in one direction (steps -> ``submission`` -> ``batch`` -> ``demo``);
none imports this package's ``__init__``.
"""

from medialit.course.batch import grade
from medialit.course.demo import DemoSummary, demo, distribution_chart, make_demo_submissions
from medialit.course.export import LONG_COLUMNS, export, lms_gradebook, per_question
from medialit.course.feedback import answer_key_strings, feedback, find_leaks, html_text
from medialit.course.folder import (
    CONFIG_NAME,
    DEFAULT_CELL_TIMEOUT,
    KIT_ASSIGNMENTS,
    REPORTS,
    SCRATCH,
    Course,
    open_course,
    run_nbgrader,
)
from medialit.course.init_course import init_course
from medialit.course.lock import DEFAULT_WAIT
from medialit.course.results import GradeReport, StudentResult, print_grade_report


def __getattr__(name: str):
    # course configs written before 2026-11 import HideAnswerKeys from here; nbgrader's
    # preprocessor base is slow to import, so it is loaded only when asked for
    if name == "HideAnswerKeys":
        from medialit.course.hide_keys import HideAnswerKeys

        return HideAnswerKeys
    raise AttributeError(name)


__all__ = [
    "CONFIG_NAME",
    "DEFAULT_CELL_TIMEOUT",
    "DEFAULT_WAIT",
    "KIT_ASSIGNMENTS",
    "LONG_COLUMNS",
    "REPORTS",
    "SCRATCH",
    "Course",
    "DemoSummary",
    "GradeReport",
    "HideAnswerKeys",
    "StudentResult",
    "answer_key_strings",
    "demo",
    "distribution_chart",
    "export",
    "feedback",
    "find_leaks",
    "grade",
    "html_text",
    "init_course",
    "lms_gradebook",
    "make_demo_submissions",
    "open_course",
    "per_question",
    "print_grade_report",
    "run_nbgrader",
]
