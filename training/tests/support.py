"""Shared helpers of the training script tests: paths, the sample data, a resolved config."""

import copy
import json
import os
import subprocess
import sys

TRAINING_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO_ROOT = os.path.dirname(TRAINING_DIR)
PYTHON = sys.executable

if TRAINING_DIR not in sys.path:
    sys.path.insert(0, TRAINING_DIR)


def sample_csv():
    """The churn sample: data/sample.csv in a generated repository, the fixture in this package."""
    candidates = [
        os.environ.get("AIDLC_SAMPLE_CSV", ""),
        os.path.join(REPO_ROOT, "data", "sample.csv"),
        os.path.join(REPO_ROOT, "test", "fixtures", "sample.csv"),
    ]
    for path in candidates:
        if path and os.path.isfile(path):
            return path
    raise FileNotFoundError(f"no sample dataset among {candidates[1:]}; set AIDLC_SAMPLE_CSV")


def script(name):
    return os.path.join(TRAINING_DIR, name)


def _column(name, kind, **extra):
    return dict({"name": name, "type": kind, "nullable": False, "maxNullRatio": 0}, **extra)


# The parts of a resolved config (pipelines/aidlc.json) that the training scripts read, with the
# package defaults and the churn sample's contract.
SAMPLE_CONFIG = {
    "schemaVersion": 1,
    "modelName": "churn",
    "data": {
        "samplePath": "data/sample.csv",
        "contract": {
            "columns": [
                _column("customer_id", "int", min=1),
                _column("signup_date", "timestamp"),
                _column("age", "int", min=18, max=100),
                _column("tenure_months", "int", min=0, max=120),
                _column("monthly_charges", "float", min=0, max=1000),
                _column("total_charges", "float", nullable=True, maxNullRatio=0.1, min=0),
                _column("contract", "string", allowedValues=["month-to-month", "one-year", "two-year"]),
                _column("payment_method", "string", nullable=True, maxNullRatio=0.05,
                        allowedValues=["card", "bank-transfer", "electronic-check", "mailed-check"]),
                _column("support_calls", "int", min=0, max=50),
                _column("is_senior", "bool"),
                _column("churned", "int", allowedValues=["0", "1"]),
            ],
            "targetColumn": "churned",
            "keyColumns": ["customer_id"],
            "minRows": 1000,
            "maxDuplicateRows": 0,
        },
    },
    "training": {
        "entryPoint": "training/train.py",
        "checkpointIntervalRounds": 10,
        "hyperparameters": {"num_round": "200", "max_depth": "5", "eta": "0.1"},
        "evaluationMetric": "auc",
        "metricThreshold": 0.75,
        "metricHigherIsBetter": True,
        "holdoutFraction": 0.2,
    },
}


def config(**training):
    """The sample config with some training fields replaced."""
    value = copy.deepcopy(SAMPLE_CONFIG)
    value["training"].update(training)
    return value


def quiet_env():
    """One OpenMP thread: the suite's small trainings run faster without thread contention."""
    return dict(os.environ, OMP_NUM_THREADS="1")


def write_json(path, value):
    with open(path, "w") as handle:
        json.dump(value, handle)
    return path


def read_json(path):
    with open(path) as handle:
        return json.load(handle)


def run_split(data, output, holdout=0.2, keys="customer_id"):
    subprocess.run([PYTHON, script("split.py"), "--input", data, "--output", output,
                    "--holdout-fraction", str(holdout), "--key-columns", keys],
                   check=True, stdout=subprocess.DEVNULL)


SAMPLE_HYPERPARAMETERS = [
    "--target", "churned",
    "--drop_columns", "customer_id,signup_date",
    "--categorical_columns", "contract,payment_method,is_senior",
    "--objective", "binary:logistic",
    "--eval_metric", "auc",
    "--max_depth", "5",
    "--eta", "0.1",
    "--nthread", "1",
]


def training_env(train_dir, validation_dir, model_dir, output_dir, checkpoint_dir):
    env = dict(os.environ)
    env.update({
        "SM_CHANNEL_TRAIN": train_dir,
        "SM_MODEL_DIR": model_dir,
        "SM_OUTPUT_DATA_DIR": output_dir,
        "AIDLC_CHECKPOINT_DIR": checkpoint_dir,
        "PYTHONUNBUFFERED": "1",
        "OMP_NUM_THREADS": "1",
    })
    if validation_dir:
        env["SM_CHANNEL_VALIDATION"] = validation_dir
    return env
