"""Writes about courses: enrolment, progress, assessment, sign-off, completion, certificates."""


class CourseError(ValueError):
    """A request that cannot be carried out; the message is shown to the user as it is."""
