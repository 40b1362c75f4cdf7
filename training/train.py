"""Train an XGBoost model in SageMaker script mode, resumable after a Spot interruption.

SageMaker runs this script with the hyperparameters as `--name value` arguments and the
paths in the environment:

    SM_CHANNEL_TRAIN        folder of CSV files with a header (required)
    SM_CHANNEL_VALIDATION   folder of CSV files with a header (optional)
    SM_MODEL_DIR            where the model goes (packed into model.tar.gz)
    SM_OUTPUT_DATA_DIR      where metrics.json goes
    AIDLC_CHECKPOINT_DIR    checkpoint folder, /opt/ml/checkpoints unless set (local runs)

Hyperparameters this script reads (the rest go to XGBoost as booster parameters):
    --target                the label column
    --drop_columns          comma-separated columns that are not features (keys, timestamps)
    --categorical_columns   comma-separated columns to encode as categories
    --objective             XGBoost objective (binary:logistic, reg:squarederror, ...)
    --eval_metric           XGBoost metric logged per round
    --num_round             boosting rounds in total
    --checkpoint_interval   save a checkpoint every this many rounds
    --select_best_round     true (default): keep the rounds up to the best validation score

Spot: every `checkpoint_interval` rounds, and when SIGTERM arrives, the booster is saved to
the checkpoint folder (SageMaker copies it to S3). On start the latest checkpoint of the same
run (same data, parameters and code) is loaded and training continues from its round, so a
restarted job ends with the same model as one that was never interrupted. Each checkpoint
carries the validation score of every round so far, so choosing the best round (a form of
early stopping) gives the same answer after a restart too.

Categorical columns are encoded with a fixed code per category (the sorted list of the
training values); the encoding is saved with the model as encoding.json. The model folder
also gets a copy of this file under code/, so the serving container and the evaluation step
run exactly the code the model was trained with (model_fn, input_fn, predict_fn, output_fn
below are the SageMaker serving hooks).
"""

import argparse
import csv
import glob
import hashlib
import io
import json
import os
import shutil
import signal
import sys
import time

import numpy as np
import pandas as pd
import xgboost as xgb

MODEL_FILE = "xgboost-model.json"
ENCODING_FILE = "encoding.json"
METRICS_FILE = "metrics.json"
CHECKPOINT_DIR_ENV = "AIDLC_CHECKPOINT_DIR"
DEFAULT_CHECKPOINT_DIR = "/opt/ml/checkpoints"
CHECKPOINT_PATTERN = "checkpoint-*.json"
MANIFEST_FILE = "manifest.json"
ENCODING_VERSION = 1
SIGTERM_EXIT_CODE = 143


# ---------------------------------------------------------------- hyperparameters

def parse_hyperparameters(argv):
    """Script options and XGBoost booster parameters from `--name value` arguments."""
    parser = argparse.ArgumentParser(description="Train XGBoost with checkpoints")
    parser.add_argument("--target", required=True)
    parser.add_argument("--drop_columns", default="")
    parser.add_argument("--categorical_columns", default="")
    parser.add_argument("--objective", default="binary:logistic")
    parser.add_argument("--eval_metric", default="auc")
    parser.add_argument("--num_round", type=int, default=100)
    parser.add_argument("--checkpoint_interval", type=int, default=10)
    parser.add_argument("--select_best_round", choices=("true", "false"), default="true")
    options, rest = parser.parse_known_args(argv)
    if options.num_round < 1 or options.checkpoint_interval < 1:
        parser.error("--num_round and --checkpoint_interval must be at least 1")
    params = {}
    i = 0
    while i < len(rest):
        token = rest[i]
        if not token.startswith("--"):
            parser.error(f"unexpected argument {token!r}")
        if "=" in token:
            name, value = token[2:].split("=", 1)
            i += 1
        elif i + 1 < len(rest):
            name, value = token[2:], rest[i + 1]
            i += 2
        else:
            parser.error(f"hyperparameter {token} has no value")
        params[name] = value
    params["objective"] = options.objective
    params["eval_metric"] = options.eval_metric
    params.setdefault("tree_method", "hist")
    return options, params


def split_list(text):
    return [item.strip() for item in text.split(",") if item.strip()]


# ---------------------------------------------------------------- data and encoding

def read_table(path):
    """A CSV file, or every CSV file of a folder (sorted by name), as strings ('' = missing)."""
    if os.path.isdir(path):
        files = sorted(glob.glob(os.path.join(path, "**", "*.csv"), recursive=True))
        if not files:
            raise SystemExit(f"no .csv file in {path}")
    else:
        files = [path]
    frames = [pd.read_csv(f, dtype=str, keep_default_na=False, na_values=[]) for f in files]
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def _text(value):
    """The category text of a value as it may arrive from CSV or JSON."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    return str(value)


def _numeric(series):
    return pd.to_numeric(series, errors="coerce")


def fit_encoding(frame, target, drop_columns, categorical_columns, objective):
    """Feature order and category codes, from the training rows only."""
    if target not in frame.columns:
        raise SystemExit(f"the target column {target!r} is not in the data (columns: {list(frame.columns)})")
    unknown = [c for c in drop_columns + categorical_columns if c not in frame.columns]
    if unknown:
        raise SystemExit(f"columns {unknown} named in the hyperparameters are not in the data")
    features = [c for c in frame.columns if c != target and c not in drop_columns]
    categories = {}
    for column in features:
        present = frame[column][frame[column].map(_text) != ""]
        numeric = _numeric(present)
        if column in categorical_columns or numeric.isna().any():
            categories[column] = sorted(set(present.map(_text)))
    return {
        "version": ENCODING_VERSION,
        "target": target,
        "features": features,
        "categories": categories,
        "objective": objective,
    }


def feature_matrix(frame, encoding):
    """The float32 matrix XGBoost sees; unknown categories and empty values are missing."""
    missing = [c for c in encoding["features"] if c not in frame.columns]
    if missing:
        raise ValueError(f"the input lacks feature columns {missing}")
    columns = []
    for column in encoding["features"]:
        values = frame[column]
        if column in encoding["categories"]:
            codes = {category: float(i) for i, category in enumerate(encoding["categories"][column])}
            columns.append(values.map(lambda v: codes.get(_text(v), np.nan)).astype("float64").to_numpy())
        else:
            columns.append(_numeric(values).astype("float64").to_numpy())
    return np.column_stack(columns).astype(np.float32)


def label_vector(frame, encoding):
    target = encoding["target"]
    if target not in frame.columns:
        raise SystemExit(f"the target column {target!r} is not in the data")
    labels = _numeric(frame[target])
    if labels.isna().any():
        raise SystemExit(f"the target column {target!r} has {int(labels.isna().sum())} empty or non-numeric values")
    if encoding["objective"].startswith("binary:") and not labels.isin([0, 1]).all():
        raise SystemExit(f"the target column {target!r} must hold 0 or 1 for {encoding['objective']}")
    return labels.astype(np.float32).to_numpy()


def file_digest(paths):
    digest = hashlib.sha256()
    for path in paths:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def table_files(path):
    if path is None:
        return []
    if os.path.isdir(path):
        return sorted(glob.glob(os.path.join(path, "**", "*.csv"), recursive=True))
    return [path]


# ---------------------------------------------------------------- checkpoints

class CheckpointStore:
    """Boosters saved as checkpoint-<round>.json, written atomically, tied to one run."""

    def __init__(self, directory, fingerprint):
        self.directory = directory
        self.fingerprint = fingerprint
        self.written = 0

    def _checkpoints(self):
        found = []
        for path in glob.glob(os.path.join(self.directory, CHECKPOINT_PATTERN)):
            stem = os.path.basename(path)[len("checkpoint-"):-len(".json")]
            if stem.isdigit():
                found.append((int(stem), path))
        return sorted(found, reverse=True)

    def open(self):
        """(booster, validation history) of the latest usable checkpoint of this run, or (None, [])."""
        os.makedirs(self.directory, exist_ok=True)
        for leftover in glob.glob(os.path.join(self.directory, ".tmp-*")):
            os.remove(leftover)
        if self._read_json(MANIFEST_FILE).get("fingerprint") == self.fingerprint:
            for rounds, path in self._checkpoints():
                history = self._read_json(f"history-{rounds:06d}.json").get("validation")
                try:
                    booster = xgb.Booster(model_file=path)
                except xgb.core.XGBoostError as error:
                    print(f"checkpoint {path} is unreadable ({error}); trying an older one", flush=True)
                    continue
                if booster.num_boosted_rounds() == rounds and history is not None:
                    return booster, history
                print(f"checkpoint {path} is incomplete; trying an older one", flush=True)
            return None, []
        stale = self._checkpoints()
        if stale:
            print(f"ignoring {len(stale)} checkpoints of a different run (data, parameters or code changed)", flush=True)
            for rounds, path in stale:
                os.remove(path)
                history = os.path.join(self.directory, f"history-{rounds:06d}.json")
                if os.path.exists(history):
                    os.remove(history)
        self._write_json(MANIFEST_FILE, {"fingerprint": self.fingerprint})
        return None, []

    def save(self, booster, history):
        """The history goes first: a checkpoint is only complete once both files exist."""
        rounds = booster.num_boosted_rounds()
        self._write_json(f"history-{rounds:06d}.json", {"validation": history})
        temporary = os.path.join(self.directory, f".tmp-{rounds:06d}.json")
        booster.save_model(temporary)
        os.replace(temporary, os.path.join(self.directory, f"checkpoint-{rounds:06d}.json"))
        self.written += 1

    def _read_json(self, name):
        try:
            with open(os.path.join(self.directory, name)) as handle:
                return json.load(handle)
        except (OSError, ValueError):
            return {}

    def _write_json(self, name, value):
        temporary = os.path.join(self.directory, f".tmp-{name}")
        with open(temporary, "w") as handle:
            json.dump(value, handle)
        os.replace(temporary, os.path.join(self.directory, name))


class StopRequest:
    """Set by SIGTERM (Spot interruption notice, or a stop): finish the round, checkpoint, exit."""

    def __init__(self):
        self.requested = False

    def install(self):
        signal.signal(signal.SIGTERM, self._handle)

    def _handle(self, _signum, _frame):
        self.requested = True


class CheckpointCallback(xgb.callback.TrainingCallback):
    """Keeps the validation score of every round and checkpoints on schedule or on SIGTERM."""

    def __init__(self, store, interval, stop, metric, history):
        super().__init__()
        self.store = store
        self.interval = interval
        self.stop = stop
        self.metric = metric
        self.history = list(history)
        self.resumed = len(history)

    def after_iteration(self, model, epoch, evals_log):
        scores = evals_log.get("validation", {}).get(self.metric)
        if scores is not None:
            self.history = self.history[:self.resumed] + [float(v) for v in scores]
        stopping = self.stop.requested
        if stopping or model.num_boosted_rounds() % self.interval == 0:
            self.store.save(model, self.history)
        return stopping


# ---------------------------------------------------------------- training

HIGHER_IS_BETTER_METRICS = ("auc", "aucpr", "map", "ndcg", "pre")


def best_round(history, metric):
    """Rounds to keep: the first round with the best validation score (1-based)."""
    if not history:
        return None
    values = np.asarray(history)
    best = values.argmax() if metric.split("@")[0] in HIGHER_IS_BETTER_METRICS else values.argmin()
    return int(best) + 1

def evaluate_booster(booster, dmatrix, name):
    """{metric: value} of the booster's eval_metric on one matrix."""
    text = booster.eval(dmatrix, name=name)
    values = {}
    for part in text.split("\t")[1:]:
        key, value = part.rsplit(":", 1)
        values[key[len(name) + 1:]] = float(value)
    return values


def run_fingerprint(options, params, encoding, data_files):
    with open(os.path.abspath(__file__), "rb") as handle:
        code = hashlib.sha256(handle.read()).hexdigest()
    run = {
        "params": params,
        "num_round": options.num_round,
        "encoding": encoding,
        "data": file_digest(data_files),
        "code": code,
    }
    return hashlib.sha256(json.dumps(run, sort_keys=True).encode("utf-8")).hexdigest()


def save_model(model_dir, booster, encoding, metrics):
    os.makedirs(os.path.join(model_dir, "code"), exist_ok=True)
    booster.save_model(os.path.join(model_dir, MODEL_FILE))
    with open(os.path.join(model_dir, ENCODING_FILE), "w") as handle:
        json.dump(encoding, handle, indent=2, sort_keys=True)
    with open(os.path.join(model_dir, "training-" + METRICS_FILE), "w") as handle:
        json.dump(metrics, handle, indent=2, sort_keys=True)
    shutil.copy2(os.path.abspath(__file__), os.path.join(model_dir, "code", os.path.basename(__file__)))


def paths_from_environment(environ):
    return {
        "train": environ.get("SM_CHANNEL_TRAIN", "/opt/ml/input/data/train"),
        "validation": environ.get("SM_CHANNEL_VALIDATION"),
        "model": environ.get("SM_MODEL_DIR", "/opt/ml/model"),
        "output": environ.get("SM_OUTPUT_DATA_DIR", "/opt/ml/output/data"),
        "checkpoints": environ.get(CHECKPOINT_DIR_ENV, DEFAULT_CHECKPOINT_DIR),
    }


def train(argv, environ):
    started = time.time()
    options, params = parse_hyperparameters(argv)
    paths = paths_from_environment(environ)
    stop = StopRequest()
    stop.install()

    train_frame = read_table(paths["train"])
    encoding = fit_encoding(train_frame, options.target, split_list(options.drop_columns),
                            split_list(options.categorical_columns), options.objective)
    dtrain = xgb.DMatrix(feature_matrix(train_frame, encoding), label=label_vector(train_frame, encoding))
    evals = [(dtrain, "train")]
    if paths["validation"]:
        validation_frame = read_table(paths["validation"])
        dvalidation = xgb.DMatrix(feature_matrix(validation_frame, encoding),
                                  label=label_vector(validation_frame, encoding))
        evals.append((dvalidation, "validation"))

    data_files = table_files(paths["train"]) + table_files(paths["validation"])
    store = CheckpointStore(paths["checkpoints"], run_fingerprint(options, params, encoding, data_files))
    booster, history = store.open()
    resumed_from = booster.num_boosted_rounds() if booster is not None else 0
    if resumed_from:
        print(f"resumed from checkpoint at round {resumed_from} of {options.num_round}", flush=True)
    else:
        print(f"starting at round 0 of {options.num_round}", flush=True)

    remaining = options.num_round - resumed_from
    if remaining > 0:
        callback = CheckpointCallback(store, options.checkpoint_interval, stop, options.eval_metric, history)
        booster = xgb.train(
            params, dtrain, num_boost_round=remaining, evals=evals, xgb_model=booster,
            verbose_eval=options.checkpoint_interval, callbacks=[callback],
        )
        history = callback.history
    if stop.requested:
        print(f"stopped by SIGTERM after round {booster.num_boosted_rounds()}; checkpoint saved", flush=True)
        return SIGTERM_EXIT_CODE

    trained_rounds = booster.num_boosted_rounds()
    keep = best_round(history, options.eval_metric) if options.select_best_round == "true" else None
    if keep is not None and keep < trained_rounds:
        print(f"keeping rounds 1..{keep} of {trained_rounds}: best validation-{options.eval_metric}", flush=True)
        booster = booster[:keep]
    metrics = {
        "rounds": booster.num_boosted_rounds(),
        "trained_rounds": trained_rounds,
        "resumed_from_round": resumed_from,
        "checkpoints_written": store.written,
        "seconds": round(time.time() - started, 3),
        "eval_metric": options.eval_metric,
    }
    for dmatrix, name in evals:
        metrics[name] = evaluate_booster(booster, dmatrix, name)
    save_model(paths["model"], booster, encoding, metrics)
    os.makedirs(paths["output"], exist_ok=True)
    with open(os.path.join(paths["output"], METRICS_FILE), "w") as handle:
        json.dump(metrics, handle, indent=2, sort_keys=True)
    for name in ("train", "validation"):
        for metric, value in metrics.get(name, {}).items():
            print(f"final {name}-{metric}: {value:.6f}", flush=True)
    return 0


# ---------------------------------------------------------------- serving and evaluation

def model_fn(model_dir):
    """Load the booster and its encoding (SageMaker serving hook, also used by evaluate.py)."""
    booster = xgb.Booster(model_file=os.path.join(model_dir, MODEL_FILE))
    with open(os.path.join(model_dir, ENCODING_FILE)) as handle:
        encoding = json.load(handle)
    if encoding.get("version") != ENCODING_VERSION:
        raise ValueError(f"{ENCODING_FILE} has version {encoding.get('version')}, this code reads {ENCODING_VERSION}")
    return {"booster": booster, "encoding": encoding}


def predict_frame(model, frame):
    """Predictions for a frame with the feature columns by name (extra columns are ignored)."""
    matrix = xgb.DMatrix(feature_matrix(frame, model["encoding"]))
    return model["booster"].predict(matrix)


def input_fn(request_body, request_content_type):
    """text/csv rows in feature order (a header row is allowed), or JSON records."""
    if isinstance(request_body, bytes):
        request_body = request_body.decode("utf-8")
    content_type = (request_content_type or "").split(";")[0].strip().lower()
    if content_type == "text/csv":
        rows = [row for row in csv.reader(io.StringIO(request_body)) if row]
        return {"rows": rows}
    if content_type == "application/json":
        document = json.loads(request_body)
        records = document.get("instances", document) if isinstance(document, dict) else document
        if isinstance(records, dict):
            records = [records]
        return {"records": records}
    raise ValueError(f"unsupported content type {request_content_type!r}; send text/csv or application/json")


def _frame_from_input(data, features):
    if "rows" in data:
        rows = data["rows"]
        if rows and rows[0] == features:
            rows = rows[1:]
        bad = [i for i, row in enumerate(rows) if len(row) != len(features)]
        if bad:
            raise ValueError(f"row {bad[0]} has {len(rows[bad[0]])} values, expected {len(features)}: {features}")
        return pd.DataFrame(rows, columns=features, dtype=object)
    records = data["records"]
    if records and isinstance(records[0], list):
        return _frame_from_input({"rows": [[_text(v) for v in row] for row in records]}, features)
    return pd.DataFrame(list(records))


def predict_fn(input_data, model):
    return predict_frame(model, _frame_from_input(input_data, model["encoding"]["features"]))


def output_fn(prediction, accept):
    content_type = (accept or "text/csv").split(";")[0].strip().lower()
    values = [float(v) for v in np.asarray(prediction).ravel()]
    if content_type == "application/json":
        return json.dumps({"predictions": values}), "application/json"
    return "\n".join(repr(v) for v in values) + "\n", "text/csv"


if __name__ == "__main__":
    sys.exit(train(sys.argv[1:], os.environ))
