"""``HideAnswerKeys``: the feedback preprocessor that strips hidden tests.

nbgrader's feedback shows test cells as they were graded; a test cell's hidden part holds
the answer key. This preprocessor (in ``GenerateFeedback.preprocessors``) removes every
hidden-test block from the cells and replaces any traceback of a test cell, which could
quote one, with one line. Where the kit's message already states the score, the bare number
nbgrader reads the score from is left out, so the student reads the score once. In its own
module because it subclasses nbgrader's preprocessor, whose import is slow and which only
nbgrader's own commands need.
"""

from __future__ import annotations

import re

_HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS\n?", re.S)

try:  # nbgrader is a dependency, but keep the module importable without it
    from nbgrader.preprocessors import NbGraderPreprocessor as _PreprocessorBase
except ImportError:  # pragma: no cover
    _PreprocessorBase = object  # type: ignore[assignment,misc]


class HideAnswerKeys(_PreprocessorBase):  # type: ignore[misc,valid-type]
    """Feedback preprocessor: drop hidden-test blocks, and tracebacks that could quote them."""

    def preprocess_cell(self, cell, resources, index):
        source = cell.get("source", "")
        had_hidden = "### BEGIN HIDDEN TESTS" in source
        if had_hidden:
            cell.source = _HIDDEN.sub("", source)
        grade = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "code" and (
            had_hidden or (grade.get("grade") and not grade.get("solution"))
        ):
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error":
                    out["traceback"] = [f"{out.get('ename', 'Error')}: the check did not pass."]
                    out["evalue"] = ""
            # the kit's message already ends "Score: x of y.": the bare number nbgrader read
            # the score from would say it a second time
            said = any(
                out.get("output_type") == "stream" and "Score: " in str(out.get("text", ""))
                for out in cell.get("outputs", [])
            )
            if said:
                cell.outputs = [
                    out for out in cell.outputs if out.get("output_type") != "execute_result"
                ]
        return cell, resources
