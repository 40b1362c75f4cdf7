"""Run the training pipeline on this machine, without AWS: split, train, evaluate.

    python3 training/run_local.py --config pipelines/aidlc.json --data data/sample.csv \
        --out .aidlc/local [--baseline data/baseline-profile.json] [--print-hyperparameters]

Runs the same scripts with the same arguments as the SageMaker Pipeline (its definition is in
pipelines/sagemaker-pipeline.json): split.py as the Split step, the training entry point with
the SageMaker environment emulated (channels, model and output folders, a local checkpoint
folder), then evaluate.py on model.tar.gz and the holdout set as the Evaluate step.

Leaves under --out:
    split/{train,validation,holdout}/   the deterministic split
    model/ and model.tar.gz             the model, its encoding and its code
    output/metrics.json                 training metrics (rounds, resume point, train/validation)
    checkpoints/                        the checkpoints written while training
    evaluation/evaluation.json          the holdout report the pipeline's condition step reads
    evaluation/baseline-profile.json    the data baseline profile (with --baseline), kept with
                                        the report as the Register step attaches both
    summary.json                        the metric against its threshold, and the files above

Exit status: 0 when the model clears the configured bar, 1 when it does not (the pipeline
would stop at its condition step and register nothing), 2 on bad input.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))

# Must match the pipeline definition builder (src/constructs/training/training-spec.ts).
VALIDATION_FRACTION = 0.2
OBJECTIVES = {
    "auc": "binary:logistic",
    "accuracy": "binary:logistic",
    "f1": "binary:logistic",
    "rmse": "reg:squarederror",
    "mae": "reg:squarederror",
}
EVAL_METRICS = {"auc": "auc", "accuracy": "error", "f1": "logloss", "rmse": "rmse", "mae": "mae"}


def script_hyperparameters(config):
    """The hyperparameters the Train step passes, derived from the resolved config."""
    training = config["training"]
    contract = config["data"]["contract"]
    target = contract["targetColumn"]
    keys = list(contract["keyColumns"])
    timestamps = [c["name"] for c in contract["columns"] if c["type"] == "timestamp"]
    drop = keys + [name for name in timestamps if name not in keys and name != target]
    categorical = [c["name"] for c in contract["columns"]
                   if c["type"] in ("string", "bool") and c["name"] != target and c["name"] not in drop]
    metric = training["evaluationMetric"]
    if metric not in OBJECTIVES:
        fail(f"unknown evaluation metric {metric!r}")
    values = {
        "target": target,
        "drop_columns": ",".join(drop),
        "categorical_columns": ",".join(categorical),
        "objective": OBJECTIVES[metric],
        "eval_metric": EVAL_METRICS[metric],
        "checkpoint_interval": str(training["checkpointIntervalRounds"]),
    }
    values.update({str(k): str(v) for k, v in training["hyperparameters"].items()})
    return values


def split_arguments(config, data, output):
    return [
        "--input", data,
        "--output", output,
        "--holdout-fraction", repr(float(config["training"]["holdoutFraction"])),
        "--validation-fraction", repr(VALIDATION_FRACTION),
        "--key-columns", ",".join(config["data"]["contract"]["keyColumns"]),
    ]


def evaluate_arguments(config, model, holdout, output, baseline=None):
    training = config["training"]
    arguments = [
        "--model", model,
        "--holdout", holdout,
        "--output", output,
        "--metric", training["evaluationMetric"],
        "--threshold", repr(float(training["metricThreshold"])),
    ]
    if not training["metricHigherIsBetter"]:
        arguments.append("--lower-is-better")
    if baseline:
        arguments += ["--baseline", baseline]
    return arguments


def entry_point(config):
    """The training script: the configured entry point, or the one beside this file."""
    configured = config["training"]["entryPoint"]
    if os.path.isfile(configured):
        return os.path.abspath(configured)
    beside = os.path.join(HERE, os.path.basename(configured))
    if os.path.isfile(beside):
        return beside
    fail(f"the entry point {configured} does not exist")


def fail(message):
    print(f"run_local: {message}", file=sys.stderr, flush=True)
    raise SystemExit(2)


def run(step, command, env=None):
    print(f"== {step}: {' '.join(command)}", flush=True)
    completed = subprocess.run(command, env=env)
    if completed.returncode != 0:
        fail(f"{step} failed with exit status {completed.returncode}")


def pack_model(model_dir, archive):
    """model.tar.gz as SageMaker packs SM_MODEL_DIR."""
    with tarfile.open(archive, "w:gz") as tar:
        for name in sorted(os.listdir(model_dir)):
            tar.add(os.path.join(model_dir, name), arcname=name)


def reset(out):
    for name in ("split", "model", "output", "checkpoints", "evaluation"):
        shutil.rmtree(os.path.join(out, name), ignore_errors=True)
    for name in ("model.tar.gz", "summary.json"):
        path = os.path.join(out, name)
        if os.path.exists(path):
            os.remove(path)
    os.makedirs(out, exist_ok=True)


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Split, train and evaluate locally, as the pipeline does")
    parser.add_argument("--config", default="pipelines/aidlc.json", help="the resolved config")
    parser.add_argument("--data", help="the dataset (CSV file or folder); default: the config's sample path")
    parser.add_argument("--out", default=".aidlc/local", help="folder for every result")
    parser.add_argument("--baseline", help="the data baseline profile (aidlc profile) to keep with the model")
    parser.add_argument("--print-hyperparameters", action="store_true",
                        help="print the Train step's hyperparameters as JSON and exit")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        with open(args.config) as handle:
            config = json.load(handle)
    except (OSError, ValueError) as error:
        fail(f"cannot read {args.config}: {error}")
    hyperparameters = script_hyperparameters(config)
    if args.print_hyperparameters:
        print(json.dumps(hyperparameters, indent=2, sort_keys=True))
        return 0

    data = args.data or config["data"]["samplePath"]
    if not os.path.exists(data):
        fail(f"the dataset {data} does not exist")
    if args.baseline and not os.path.isfile(args.baseline):
        fail(f"the baseline profile {args.baseline} does not exist; run the data gate first (npx projen data:gate)")
    out = os.path.abspath(args.out)
    reset(out)
    folders = {name: os.path.join(out, name) for name in ("split", "model", "output", "checkpoints", "evaluation")}
    python = sys.executable

    run("split", [python, os.path.join(HERE, "split.py")] + split_arguments(config, data, folders["split"]))

    env = dict(os.environ)
    env.update({
        "SM_CHANNEL_TRAIN": os.path.join(folders["split"], "train"),
        "SM_CHANNEL_VALIDATION": os.path.join(folders["split"], "validation"),
        "SM_MODEL_DIR": folders["model"],
        "SM_OUTPUT_DATA_DIR": folders["output"],
        "AIDLC_CHECKPOINT_DIR": folders["checkpoints"],
    })
    arguments = []
    for name in sorted(hyperparameters):
        arguments += [f"--{name}", hyperparameters[name]]
    run("train", [python, entry_point(config)] + arguments, env=env)

    archive = os.path.join(out, "model.tar.gz")
    pack_model(folders["model"], archive)
    run("evaluate", [python, os.path.join(HERE, "evaluate.py")] + evaluate_arguments(
        config, archive, os.path.join(folders["split"], "holdout"), folders["evaluation"], args.baseline))

    with open(os.path.join(folders["evaluation"], "evaluation.json")) as handle:
        evaluation = json.load(handle)["evaluation"]
    files = {"model": archive, "metricsReport": os.path.join(folders["evaluation"], "evaluation.json")}
    if args.baseline:
        files["baselineProfile"] = os.path.join(folders["evaluation"], "baseline-profile.json")
    with open(os.path.join(out, "summary.json"), "w") as handle:
        json.dump(dict(evaluation, files=files), handle, indent=2, sort_keys=True)
    relation = ">=" if evaluation["higher_is_better"] else "<="
    verdict = "passes" if evaluation["passed"] else "does NOT pass"
    print(f"{evaluation['metric']} = {evaluation['value']:.4f} on {evaluation['holdout_rows']} holdout rows; "
          f"{verdict} the bar ({relation} {evaluation['threshold']}). Results in {out}")
    return 0 if evaluation["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
