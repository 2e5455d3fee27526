"""The kit's nbgrader settings, for every course folder that grades kit assignments.

Used by the repository's own ``nbgrader_config.py`` and by course folders the kit creates,
so both build the same release and grade the same way (``grading.md``):

- ``Autograde.autograde_preprocessors``: ``ScoreAnswers`` takes the place of ``Execute``.
  Plain ``nbgrader autograde`` and formgrader's autograde button then score each test cell
  from the handed-in answers file in the grading process, like ``medialit grade``; no
  student code runs, so no timeout, output limit or warning filter can change a grade;
- ``GenerateAssignment.post_convert_hook``: saved answers never reach the release;
- ``GenerateFeedback.preprocessors``: hidden tests and the tracebacks that could quote
  them are stripped from feedback;
- ``ClearSolutions.code_stub``: the release's first cell is a harmless comment;
- ``OverwriteCells.add_missing_cells``: deleted test cells come back.

``nbgrader validate`` still executes notebooks (it is the instructor's own check of a source
notebook, or the student's own check of theirs); its execution limits are set here too.
"""

from __future__ import annotations

from typing import Any

#: The release's first code cell (the model-answer filler's place): a harmless comment.
CODE_STUB = "# Run this cell: it shows where your answers are saved."
#: stderr lines nbgrader validate ignores (a warning must not fail a correct notebook)
WARNING_PATTERN = r"\b[A-Za-z]*Warning\b"


def configure_nbgrader(c: Any, cell_timeout: int = 60) -> Any:
    """Apply the kit's grading settings to an nbgrader config object ``c``."""
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import (
        AssignLatePenalties,
        CheckCellMetadata,
        GetGrades,
        SaveAutoGrades,
    )

    from medialit.course.hide_keys import HideAnswerKeys
    from medialit.course.preprocessor import ScoreAnswers
    from medialit.items import ASSIGNMENTS

    c.ClearSolutions.code_stub = {"python": CODE_STUB}
    c.OverwriteCells.add_missing_cells = True
    # nbgrader validate still runs notebooks: a warning on stderr must not fail it
    c.IgnorePattern.enabled = True
    c.IgnorePattern.pattern = WARNING_PATTERN
    c.ExecutePreprocessor.timeout = cell_timeout
    c.Execute.timeout = cell_timeout
    c.LimitOutput.max_lines = 200
    c.LimitOutput.max_traceback = 40
    c.Autograde.autograde_preprocessors = [
        ScoreAnswers,
        SaveAutoGrades,
        AssignLatePenalties,
        CheckCellMetadata,
    ]
    # a saved answers file in source/ (left by nbgrader validate) never replaces a student's
    c.Autograde.exclude_overwriting = {a: [f"answers/{a}.json"] for a in ASSIGNMENTS}
    c.Autograde.pre_convert_hook = "medialit.course.preprocessor.refuse_links"
    c.GenerateAssignment.post_convert_hook = "medialit.course.release.drop_saved_answers"
    c.GenerateFeedback.preprocessors = [GetGrades, HideAnswerKeys, CSSHTMLHeaderPreprocessor]
    return c
