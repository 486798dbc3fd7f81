"""One splink model, two backends: the duplicate scan on DuckDB and on Spark (issue 11, item 7).

Usage (from the repository root)::

    .venv/bin/python bench/registry_spark.py                 # 1,500 synthetic people
    .venv/bin/python bench/registry_spark.py --people 5000

The registry's duplicate scan runs a splink model on DuckDB, embedded. For a registry of
millions the same model runs on Spark through splink's Spark backend (docs/matching.md,
"Running the duplicate scan on Spark"). This benchmark proves the model and its results
are the same: it trains the model once on DuckDB (u by random sampling, m by EM), saves it
as splink's JSON, loads that JSON unchanged into a Spark linker (``pyspark`` in local mode,
``local[2]``) and predicts and clusters the same records on both; it prints the pairs each
found, the largest difference of a pair's match probability, the clusters at the review
and link thresholds and whether the two partitions are identical, with the time of each.

The records are the synthetic Malian roster rows of ``trainees.synthetic.generate_activities``
(every cause of a missed duplicate), prepared into comparison features with the matching
engine's own normalisation. The comparisons are built from splink's comparison library,
which writes each backend's SQL (the same levels as the registry's model: names exact,
same variant, Jaro-Winkler bands; birth date exact, one edit, same year, one year off;
sex; each strong identifier exact or one edit; phone; organisation), because the registry
model's hand-written levels use DuckDB list functions Spark does not have: see
docs/matching.md for how to run the registry's own settings on Spark.

Without ``pyspark`` (optional group ``spark`` in pyproject.toml; needs Java 17) the Spark
half is skipped with a message, and the DuckDB half still runs.
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ID_TYPES = ("nina", "passport", "service_number", "un_index")
REVIEW, LINK = 0.5, 0.95


def _records(people: int) -> list[dict]:
    """The roster rows of ``people`` synthetic people as flat comparison features."""
    from trainees.matching.normalise import normalise_text
    from trainees.matching.variants import VARIANT_GROUPS
    from trainees.synthetic import generate_activities

    canonical: dict[str, str] = {}
    for key, others in VARIANT_GROUPS.items():
        for spelling in (key, *others):
            canonical[normalise_text(spelling)] = normalise_text(key)
    data = generate_activities(people, seed=people)
    records = []
    for roster in data["rosters"]:
        for row in roster["rows"]:
            name = " ".join(
                part
                for part in (row.get("full_name"), row.get("given_names"), row.get("family_name"))
                if part
            )
            tokens = sorted(normalise_text(name).split())
            birth = row.get("birth_date")
            ids = row.get("identifiers") or {}
            digits = "".join(c for c in ids.get("phone", "") if c.isdigit())
            record = {
                "unique_id": len(records),
                "truth": row["truth"],
                "name_exact": " ".join(tokens) or None,
                "name_key": " ".join(sorted(canonical.get(t, t) for t in tokens)) or None,
                "given_first": (tokens[0] if tokens else None),
                "birth_date": birth.isoformat() if birth else None,
                "birth_year": birth.year if birth else row.get("birth_year"),
                "sex": row.get("sex"),
                "phone": digits[-8:] or None,
                "organisation": normalise_text(row.get("organisation") or "") or None,
            }
            for id_type in ID_TYPES:
                value = ids.get(id_type)
                record[id_type] = value.lstrip("0") or value if value else None
            records.append(record)
    return records


def settings():
    """The splink model: the registry's comparisons from splink's portable library."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    name = cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            cll.NullLevel("name_key"),
            cll.ExactMatchLevel("name_exact").configure(tf_adjustment_column="name_exact"),
            cll.ExactMatchLevel("name_key").configure(tf_adjustment_column="name_key"),
            cll.JaroWinklerLevel("name_key", 0.92),
            cll.JaroWinklerLevel("name_key", 0.80),
            cll.ElseLevel(),
        ],
    )
    birth = cl.CustomComparison(
        output_column_name="birth",
        comparison_levels=[
            cll.NullLevel("birth_year"),
            cll.ExactMatchLevel("birth_date"),
            cll.DamerauLevenshteinLevel("birth_date", 1),
            cll.ExactMatchLevel("birth_year"),
            cll.AbsoluteDifferenceLevel("birth_year", 1),
            cll.ElseLevel(),
        ],
    )
    comparisons = [
        name,
        birth,
        cl.ExactMatch("sex"),
        *(cl.DamerauLevenshteinAtThresholds(t, [1]) for t in ID_TYPES),
        cl.ExactMatch("phone"),
        cl.ExactMatch("organisation"),
    ]
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[
            block_on("birth_date"),
            block_on("name_key"),
            block_on("given_first", "birth_year"),
            *(block_on(t) for t in ID_TYPES),
            block_on("phone"),
        ],
        retain_matching_columns=False,
        # The comparison levels of every pair (gamma_*), to say where backends differ.
        retain_intermediate_calculation_columns=True,
    )


def _predict_and_cluster(linker):
    """Every pair at p >= 0.01, and the clusters at the review and link thresholds."""
    predictions = linker.inference.predict(threshold_match_probability=0.01)
    clusters = {
        threshold: linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=threshold
        ).as_pandas_dataframe()
        for threshold in (REVIEW, LINK)
    }
    return predictions.as_pandas_dataframe(), clusters


#: What a level EM never observed gets (the registry model's floors): without it each
#: backend falls back on its own default and the two disagree on those pairs.
M_FLOOR, U_FLOOR = 0.002, 1e-6


def _fill_untrained(model: dict) -> dict:
    """``model`` with an explicit m and u on every level (``M_FLOOR`` / ``U_FLOOR`` where
    training left none), then each comparison's m and u renormalised to sum to one."""
    for comparison in model["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        for key, floor in (("m_probability", M_FLOOR), ("u_probability", U_FLOOR)):
            for level in levels:
                level[key] = max(float(level.get(key) or 0.0), floor)
            total = sum(level[key] for level in levels)
            for level in levels:
                level[key] /= total
    return model


def duckdb_train_and_predict(records: list[dict]):
    import pandas as pd
    from splink import DuckDBAPI, Linker, block_on

    db_api = DuckDBAPI()
    frame = pd.DataFrame.from_records(records).drop(columns=["truth"])
    frame["birth_year"] = frame["birth_year"].astype("Int64")  # NULL, not NaN
    linker = Linker(db_api.register(frame, table_name="records"), settings())
    started = time.perf_counter()
    linker.training.estimate_probability_two_random_records_match(
        ["l.name_key = r.name_key AND l.birth_date = r.birth_date"], recall=0.6
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=2026)
    for rule in (block_on("birth_date"), block_on("name_key")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    trained = time.perf_counter() - started
    model = _fill_untrained(linker.misc.save_model_to_json())
    # Predict from the saved model, as the other backend does: the same numbers on both.
    linker = Linker(db_api.register(frame, table_name="records_again"), model)
    started = time.perf_counter()
    pairs, clusters = _predict_and_cluster(linker)
    return model, pairs, clusters, trained, time.perf_counter() - started


def _same_parameters(target, model: dict) -> dict:
    """``target``'s settings (its backend's SQL, from the same comparisons) with every
    parameter of the trained ``model``: lambda, and each level's m and u, level by level.

    A saved model's conditions are SQL of the backend it was trained on (DuckDB quotes
    names with double quotes, which Spark reads as strings), so the model travels as the
    comparisons (code) plus the learned numbers (JSON)."""
    settings_dict = target.misc.save_model_to_json()
    settings_dict["probability_two_random_records_match"] = model[
        "probability_two_random_records_match"
    ]
    trained = {c["output_column_name"]: c for c in model["comparisons"]}
    for comparison in settings_dict["comparisons"]:
        source = trained[comparison["output_column_name"]]["comparison_levels"]
        for level, learned in zip(comparison["comparison_levels"], source, strict=True):
            if level.get("label_for_charts") != learned.get("label_for_charts"):
                raise SystemExit("the two backends' comparison levels differ")
            for key in ("m_probability", "u_probability", "tf_minimum_u_value"):
                if key in learned:
                    level[key] = learned[key]
    return settings_dict


def spark_predict(records: list[dict], model: dict):
    try:
        from pyspark.sql import SparkSession
        from pyspark.sql.types import LongType, StringType, StructField, StructType
    except ImportError:
        return None
    from splink import Linker, SparkAPI
    from splink.internals.spark.jar_location import similarity_jar_location

    started = time.perf_counter()
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("registry-duplicate-scan")
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.default.parallelism", "8")
        .config("spark.driver.memory", "2g")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    spark.sparkContext.setCheckpointDir(str(Path("/tmp") / "registry_spark_checkpoints"))
    # An explicit schema: from pandas, a missing birth year would be NaN, which Spark keeps
    # as a number (not NULL) where DuckDB reads NULL.
    columns = [c for c in records[0] if c != "truth"]
    schema = StructType(
        [
            StructField(c, LongType() if c in ("unique_id", "birth_year") else StringType())
            for c in columns
        ]
    )
    rows = [tuple(record[c] for c in columns) for record in records]
    db_api = SparkAPI(spark_session=spark, break_lineage_method="parquet")
    table = db_api.register(spark.createDataFrame(rows, schema), table_name="records")
    linker = Linker(table, _same_parameters(Linker(table, settings()), model))
    startup = time.perf_counter() - started
    started = time.perf_counter()
    pairs, clusters = _predict_and_cluster(linker)
    seconds = time.perf_counter() - started
    spark.stop()
    return pairs, clusters, startup, seconds


def _partition(clusters) -> set[frozenset]:
    groups: dict = {}
    for uid, cid in zip(clusters["unique_id"], clusters["cluster_id"], strict=True):
        groups.setdefault(cid, set()).add(int(uid))
    return {frozenset(members) for members in groups.values()}


#: Gamma values of the name levels with a term-frequency adjustment (exact, same variant).
NAME_TF_LEVELS = (4, 3)


def _moved(a: dict, b: dict) -> bool:
    return abs(float(a["match_probability"]) - float(b["match_probability"])) > 1e-6


def compare(duck_pairs, spark_pairs) -> dict:
    """Pairs found by each backend, the largest difference of a common pair's probability,
    and per comparison how many common pairs fall in another level on the other backend."""
    gammas = [c for c in duck_pairs.columns if c.startswith("gamma_")]

    def keyed(frame):
        out = {}
        for record in frame.to_dict("records"):
            a, b = int(record["unique_id_l"]), int(record["unique_id_r"])
            out[(min(a, b), max(a, b))] = record
        return out

    duck, spark = keyed(duck_pairs), keyed(spark_pairs)
    common = duck.keys() & spark.keys()
    return {
        "duckdb_pairs": len(duck),
        "spark_pairs": len(spark),
        "only_duckdb": len(duck.keys() - spark.keys()),
        "only_spark": len(spark.keys() - duck.keys()),
        "max_probability_difference": max(
            (
                abs(float(duck[k]["match_probability"]) - float(spark[k]["match_probability"]))
                for k in common
            ),
            default=0.0,
        ),
        # Pairs whose probability differs though every level agrees, and how many of them
        # agree exactly on the name (the levels with a term-frequency adjustment).
        "probability_differs": len(moved := [k for k in common if _moved(duck[k], spark[k])]),
        "probability_differs_name_exact_or_variant": sum(
            1 for k in moved if int(duck[k].get("gamma_name", -1)) in (NAME_TF_LEVELS)
        ),
        "levels_differ": {
            g[6:]: n
            for g in gammas
            if (n := sum(1 for k in common if int(duck[k][g]) != int(spark[k].get(g, -9))))
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=1500)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")
    logging.getLogger("splink").setLevel(logging.WARNING)
    from bench.machine import machine_description

    print(machine_description("duckdb / spark local[2]"))
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(), flush=True)
    records = _records(args.people)
    print(f"{len(records)} roster rows of {args.people} synthetic people", flush=True)
    model, duck_pairs, duck_clusters, trained, duck_seconds = duckdb_train_and_predict(records)
    truths = len({r["truth"] for r in records})
    print(f"duckdb: trained in {trained:.1f} s; predict + cluster {duck_seconds:.1f} s; "
          f"{len(duck_pairs)} pairs at p >= 0.01", flush=True)  # fmt: skip
    for threshold, frame in duck_clusters.items():
        print(f"  clusters at p >= {threshold}: {frame['cluster_id'].nunique()} "
              f"(true people {truths})")  # fmt: skip
    found = spark_predict(records, model)
    if found is None:
        print(
            "spark: skipped, pyspark is not installed (pip install the optional group "
            "'spark' of pyproject.toml; Java 17 is needed)."
        )
        return
    spark_pairs, spark_clusters, startup, spark_seconds = found
    print(f"spark local[2]: session {startup:.1f} s; predict + cluster {spark_seconds:.1f} s; "
          f"{len(spark_pairs)} pairs at p >= 0.01")  # fmt: skip
    for threshold, frame in spark_clusters.items():
        same = _partition(frame) == _partition(duck_clusters[threshold])
        print(f"  clusters at p >= {threshold}: {frame['cluster_id'].nunique()}; "
              f"partition identical to DuckDB's: {same}")  # fmt: skip
    result = compare(duck_pairs, spark_pairs)
    print(
        f"pairs: duckdb {result['duckdb_pairs']}, spark {result['spark_pairs']}, only duckdb "
        f"{result['only_duckdb']}, only spark {result['only_spark']}; largest difference of a "
        f"match probability {result['max_probability_difference']:.2e}; common pairs in "
        f"another level: {result['levels_differ'] or 'none'}; common pairs whose probability "
        f"differs: {result['probability_differs']} (of which name exact or same variant, the "
        f"term-frequency levels: {result['probability_differs_name_exact_or_variant']})"
    )
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
