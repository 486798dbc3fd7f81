from .learning import AssessmentAttempt, Certificate, Enrolment, ModuleProgress, PracticalSignoff
from .pages import CourseCatalogue, CoursePage, ModulePage, ProgrammePage

__all__ = [
    "AssessmentAttempt",
    "Certificate",
    "CourseCatalogue",
    "CoursePage",
    "Enrolment",
    "ModulePage",
    "ModuleProgress",
    "PracticalSignoff",
    "ProgrammePage",
]
