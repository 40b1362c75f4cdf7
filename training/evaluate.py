"""Score a trained model on the holdout set and write the evaluation report.

Runs as the Evaluate processing step of the SageMaker Pipeline and in local runs:

    python3 evaluate.py --model PATH --holdout PATH --output DIR \
        --metric auc --threshold 0.75 [--lower-is-better] [--baseline PATH]

The model PATH is model.tar.gz as the training job wrote it, a folder holding it, or an
unpacked model folder. Predictions come from the code saved in the model (code/train.py), so
the score is the one the deployed model will have.

OUTPUT/evaluation.json is the pipeline's property file. Metrics sit where SageMaker's model
registry shows model quality: `binary_classification_metrics.<auc|accuracy|f1|precision|recall>`
or `regression_metrics.<rmse|mae|r2>`, each as `{"value": ...}`; the condition step reads
`<group>.<metric>.value`. The `evaluation` block repeats the configured metric with its
threshold and whether it passed.

With --baseline (the data baseline profile of the training data, a JSON file or a folder
holding one), a copy goes to OUTPUT/baseline-profile.json: the Register step attaches both
files to the model package, so each model version keeps the baseline it was trained against
even after the shared profile is refreshed.
"""

import argparse
import glob
import importlib.util
import json
import math
import os
import shutil
import sys
import tarfile
import tempfile

CLASSIFICATION_METRICS = ("auc", "accuracy", "f1")
REGRESSION_METRICS = ("rmse", "mae")
REPORT_FILE = "evaluation.json"
BASELINE_FILE = "baseline-profile.json"


def metric_group(metric):
    """The report section that holds a metric."""
    if metric in CLASSIFICATION_METRICS:
        return "binary_classification_metrics"
    if metric in REGRESSION_METRICS:
        return "regression_metrics"
    raise SystemExit(f"evaluate: unknown metric {metric!r}; use one of {CLASSIFICATION_METRICS + REGRESSION_METRICS}")


def unpack_model(path, scratch):
    """The folder of an unpacked model, from a model.tar.gz, a folder holding one, or a model folder."""
    if os.path.isdir(path):
        archives = sorted(glob.glob(os.path.join(path, "*.tar.gz")))
        if not archives:
            return path
        if len(archives) > 1:
            raise SystemExit(f"evaluate: more than one model archive in {path}: {archives}")
        path = archives[0]
    target = os.path.join(scratch, "model")
    os.makedirs(target)
    with tarfile.open(path, "r:gz") as archive:
        for member in archive.getmembers():
            resolved = os.path.realpath(os.path.join(target, member.name))
            if not resolved.startswith(os.path.realpath(target) + os.sep):
                raise SystemExit(f"evaluate: {path} holds an entry outside the archive: {member.name}")
        archive.extractall(target)
    return target


def load_training_code(model_dir):
    """The training module saved with the model (its model_fn and predict_frame)."""
    scripts = sorted(glob.glob(os.path.join(model_dir, "code", "*.py")))
    if len(scripts) != 1:
        raise SystemExit(f"evaluate: expected one training script in {model_dir}/code, found {scripts}")
    spec = importlib.util.spec_from_file_location("aidlc_model_code", scripts[0])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name in ("model_fn", "predict_frame", "read_table", "label_vector"):
        if not hasattr(module, name):
            raise SystemExit(f"evaluate: {scripts[0]} defines no {name}()")
    return module


def classification_metrics(labels, scores):
    from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score, roc_auc_score

    if len(set(labels.tolist())) < 2:
        raise SystemExit("evaluate: the holdout has a single class; AUC is undefined. Use more data or another split.")
    predicted = (scores >= 0.5).astype(int)
    return {
        "auc": roc_auc_score(labels, scores),
        "accuracy": accuracy_score(labels, predicted),
        "f1": f1_score(labels, predicted, zero_division=0),
        "precision": precision_score(labels, predicted, zero_division=0),
        "recall": recall_score(labels, predicted, zero_division=0),
    }


def regression_metrics(labels, predictions):
    from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score

    return {
        "rmse": math.sqrt(mean_squared_error(labels, predictions)),
        "mae": mean_absolute_error(labels, predictions),
        "r2": r2_score(labels, predictions),
    }


def build_report(metric, threshold, higher_is_better, labels, predictions):
    group = metric_group(metric)
    computed = classification_metrics(labels, predictions) if group == "binary_classification_metrics" \
        else regression_metrics(labels, predictions)
    bad = [name for name, value in computed.items() if not math.isfinite(value)]
    if bad:
        raise SystemExit(f"evaluate: metrics {bad} are not finite; check the holdout data")
    value = float(computed[metric])
    passed = value >= threshold if higher_is_better else value <= threshold
    return {
        group: {name: {"value": float(v)} for name, v in sorted(computed.items())},
        "evaluation": {
            "metric": metric,
            "value": value,
            "threshold": threshold,
            "higher_is_better": higher_is_better,
            "passed": passed,
            "holdout_rows": int(len(labels)),
        },
    }


def copy_baseline(path, output):
    """Keep the baseline profile beside the report."""
    if os.path.isdir(path):
        found = sorted(glob.glob(os.path.join(path, "*.json")))
        if len(found) != 1:
            raise SystemExit(f"evaluate: expected one baseline profile (.json) in {path}, found {found}")
        path = found[0]
    try:
        with open(path) as handle:
            json.load(handle)
    except (OSError, ValueError) as error:
        raise SystemExit(f"evaluate: the baseline profile {path} is not readable JSON: {error}")
    shutil.copyfile(path, os.path.join(output, BASELINE_FILE))


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Evaluate a model on the holdout set")
    parser.add_argument("--model", required=True)
    parser.add_argument("--holdout", required=True, help="a CSV file or a folder of CSV files")
    parser.add_argument("--output", required=True, help="folder for evaluation.json")
    parser.add_argument("--metric", required=True)
    parser.add_argument("--threshold", type=float, required=True)
    parser.add_argument("--lower-is-better", action="store_true",
                        help="pass when the metric is at most the threshold (rmse, mae)")
    parser.add_argument("--baseline", help="the data baseline profile to keep with the report")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    metric_group(args.metric)
    with tempfile.TemporaryDirectory() as scratch:
        model_dir = unpack_model(args.model, scratch)
        code = load_training_code(model_dir)
        model = code.model_fn(model_dir)
        holdout = code.read_table(args.holdout)
        labels = code.label_vector(holdout, model["encoding"])
        predictions = code.predict_frame(model, holdout)
    report = build_report(args.metric, args.threshold, not args.lower_is_better, labels, predictions)
    os.makedirs(args.output, exist_ok=True)
    with open(os.path.join(args.output, REPORT_FILE), "w") as handle:
        json.dump(report, handle, indent=2, sort_keys=True)
    if args.baseline:
        copy_baseline(args.baseline, args.output)
    summary = report["evaluation"]
    print(json.dumps(summary, sort_keys=True), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
