"""Search in both languages: Wagtail's database backend with PostgreSQL's own stemmers.

On PostgreSQL each page is indexed with the text-search configuration of its language
(``french`` or ``english``) and a query is stemmed with both and matched with either, so
"munition" finds "munitions" and "engins" finds "engin", whichever language a trainee types
in. Acronyms (EOD, IEDD, NEDEX, WAM, GMA, EORE) are words to both stemmers; the course pages
index their programme's acronyms in both languages (``CoursePage.search_acronyms``).

Elsewhere (SQLite) this is Wagtail's own database backend (FTS5, which has no French
stemmer); ``courses.selectors.course_search`` adds a prefix search of each word without its
plural ending there, the best that backend offers.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import connection

#: Wagtail locale -> PostgreSQL text-search configuration.
CONFIGS = {"fr": "french", "en": "english"}


def _postgres_backend(params):
    from modelsearch.backends.database.postgres import postgres as pg

    class BilingualIndex(pg.PostgresIndex):
        def add_items(self, model, objs):
            # Each object with its language's stemmer (the indexer reads backend.config).
            groups = defaultdict(list)
            for obj in objs:
                locale = getattr(obj, "locale", None)
                code = getattr(locale, "language_code", "") if locale is not None else ""
                groups[CONFIGS.get(code, self.backend.config)].append(obj)
            default = self.backend.config
            try:
                for config, group in groups.items():
                    self.backend.config = config
                    super().add_items(model, group)
            finally:
                self.backend.config = default

    class BilingualQueryCompiler(pg.PostgresSearchQueryCompiler):
        def build_tsquery(self, query, config=None):
            french = self.build_tsquery_content(query, config=CONFIGS["fr"])
            english = self.build_tsquery_content(query, config=CONFIGS["en"])
            return french | english

    class BilingualPostgresSearchBackend(pg.PostgresSearchBackend):
        query_compiler_class = BilingualQueryCompiler
        index_class = BilingualIndex

    params = {"SEARCH_CONFIG": CONFIGS["fr"], **params}
    return BilingualPostgresSearchBackend(params)


def SearchBackend(params):
    if connection.vendor == "postgresql":
        return _postgres_backend(params)
    from wagtail.search.backends.database import SearchBackend as DatabaseSearchBackend

    return DatabaseSearchBackend(params)


#: The programmes' acronyms in both languages, and the words that name them in either.
ACRONYMS = [
    (("EOD", "NEDEX"), ("explosive ordnance disposal", "neutralisation des engins explosifs")),
    (("IEDD", "NEEI"), ("improvised explosive device", "engins explosifs improvisés", "eei")),
    (("WAM", "GMA"), ("weapons and ammunition", "armes et des munitions", "armes et munitions")),
    (("EORE", "EREE"), ("risk education", "éducation aux risques")),
]


def acronyms_for(text: str) -> str:
    """Every acronym, in both languages, that ``text`` names by an acronym or in words."""
    lowered = f" {text.lower()} "
    words = set(lowered.replace("(", " ").replace(")", " ").replace("/", " ").split())
    found = []
    for acronyms, phrases in ACRONYMS:
        if any(a.lower() in words for a in acronyms) or any(p in lowered for p in phrases):
            found.extend(acronyms)
    return " ".join(found)
