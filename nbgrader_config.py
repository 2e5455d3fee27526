"""nbgrader settings for the kit's own maintainers: the repository root is a course folder.

Sources (with answer keys) are in solutions/, the student release in exercises/.
Regenerate the release with `python tools/release.py`; the grading protections
(warnings ignored, missing cells restored, timeouts, output limits, answers files never
overwritten, hidden tests stripped from feedback) come from medialit.grading.
"""

from medialit.course.settings import configure_nbgrader

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)
c.CourseDirectory.course_id = "medialit"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
configure_nbgrader(c)
