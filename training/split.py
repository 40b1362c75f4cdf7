"""Split a dataset into train, validation and holdout sets, deterministically.

Runs as the first step of the SageMaker Pipeline (a processing job) and in local runs
(`run_local.py`). Each row goes to a set by a hash of its key columns (or of the whole row
when the contract names no key), so the same row lands in the same set on every run and as
the dataset grows: the holdout never leaks into training between versions of the data.

    python3 split.py --input DIR_OR_CSV --output DIR --holdout-fraction 0.2 \
        [--validation-fraction 0.2] [--key-columns customer_id] [--salt aidlc] \
        [--manifest FILE_OR_DIR --manifest-sha256 HEX]

With --manifest (the dataset manifest the data gate wrote for this run, as the pipeline passes
it), the input folder must hold exactly the objects the manifest lists, each with the size and
SHA-256 it records, and the manifest itself must have the SHA-256 given: a file that changed,
appeared or went missing after the gate stops the run before anything is trained.

Writes OUTPUT/train/train.csv, OUTPUT/validation/validation.csv and
OUTPUT/holdout/holdout.csv, each with the header and the rows in input order.
"""

import argparse
import csv
import hashlib
import json
import os
import sys

SETS = ("train", "validation", "holdout")


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest_file(path):
    """The manifest: the file itself, or the one .json file in a folder."""
    if os.path.isfile(path):
        return path
    found = sorted(os.path.join(path, n) for n in os.listdir(path) if n.endswith(".json")) if os.path.isdir(path) else []
    if len(found) != 1:
        raise SystemExit(f"split: expected one dataset manifest (.json) in {path}, found {found}")
    return found[0]


def verify_manifest(data_dir, manifest_path, expected_sha256):
    """Checks the data against the gate's manifest; returns the manifest. Exits with the reason otherwise."""
    if not expected_sha256 or expected_sha256 == "none":
        raise SystemExit("split: no dataset manifest SHA-256 was given; start the pipeline from the delivery pipeline's "
                         "Gate stage or with `aidlc pipeline train --manifest s3://.../manifest.json --manifest-sha256 HEX`")
    path = manifest_file(manifest_path)
    actual = sha256_file(path)
    if actual != expected_sha256.lower():
        raise SystemExit(f"split: the dataset manifest has SHA-256 {actual}, not the {expected_sha256} the gate recorded; "
                         "it changed after the gate wrote it")
    with open(path, encoding="utf-8") as handle:
        manifest = json.load(handle)
    if manifest.get("format") != "aidlc-dataset-manifest" or manifest.get("version") != 1:
        raise SystemExit(f"split: {path} is not an aidlc dataset manifest")
    if manifest.get("gateReport", {}).get("verdict") != "pass":
        raise SystemExit(f"split: the gate run {manifest.get('run')} did not pass (verdict "
                         f"{manifest.get('gateReport', {}).get('verdict')}); see {manifest.get('gateReport', {}).get('uri')}")
    prefix = manifest["dataUri"].split("/", 3)[3] if manifest["dataUri"].count("/") >= 3 else ""
    expected = {}
    for entry in manifest["objects"]:
        if not entry["key"].startswith(prefix):
            raise SystemExit(f"split: manifest object {entry['key']} is outside its data prefix {manifest['dataUri']}")
        expected[entry["key"][len(prefix):]] = entry
    present = {}
    for root, _dirs, files in os.walk(data_dir):
        for name in files:
            full = os.path.join(root, name)
            present[os.path.relpath(full, data_dir).replace(os.sep, "/")] = full
    problems = []
    for rel in sorted(set(present) - set(expected)):
        problems.append(f"{rel} is not in the manifest")
    for rel in sorted(set(expected) - set(present)):
        problems.append(f"{rel} is in the manifest but missing")
    for rel in sorted(set(present) & set(expected)):
        entry = expected[rel]
        size = os.path.getsize(present[rel])
        if size != entry["size"]:
            problems.append(f"{rel} has {size} bytes, the manifest says {entry['size']}")
            continue
        digest = sha256_file(present[rel])
        if digest != entry["sha256"]:
            problems.append(f"{rel} has SHA-256 {digest}, the manifest says {entry['sha256']}")
    if problems:
        raise SystemExit("split: the dataset is not what the gate passed in run "
                         f"{manifest.get('run')}: " + "; ".join(problems))
    return manifest


def input_files(path):
    """The CSV files to read: the file itself, or every *.csv below a folder, sorted."""
    if os.path.isfile(path):
        return [path]
    found = []
    for root, _dirs, files in os.walk(path):
        for name in files:
            if name.lower().endswith(".csv"):
                found.append(os.path.join(root, name))
    if not found:
        raise SystemExit(f"split: no .csv file under {path}")
    return sorted(found)


def read_rows(files):
    """Header and rows of the files; every file must have the same header."""
    header = None
    rows = []
    for name in files:
        with open(name, newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            file_header = next(reader, None)
            if file_header is None:
                continue
            if header is None:
                header = file_header
            elif file_header != header:
                raise SystemExit(f"split: {name} has header {file_header}, expected {header}")
            for line, row in enumerate(reader, start=2):
                if len(row) != len(header):
                    raise SystemExit(f"split: {name} line {line} has {len(row)} fields, expected {len(header)}")
                rows.append(row)
    if header is None:
        raise SystemExit("split: the input has no header")
    return header, rows


def unit_hash(values, salt):
    """A number in [0, 1) from the values, the same on every machine and Python version."""
    digest = hashlib.sha256(("\x1f".join([salt] + list(values))).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2.0 ** 64


def assign(header, rows, key_columns, holdout_fraction, validation_fraction, salt):
    """The set of each row: holdout first, then validation out of what remains."""
    missing = [c for c in key_columns if c not in header]
    if missing:
        raise SystemExit(f"split: key columns {missing} are not in the header {header}")
    indexes = [header.index(c) for c in key_columns]
    out = []
    for row in rows:
        values = [row[i] for i in indexes] if indexes else row
        u = unit_hash(values, salt)
        if u < holdout_fraction:
            out.append("holdout")
        elif u < holdout_fraction + (1.0 - holdout_fraction) * validation_fraction:
            out.append("validation")
        else:
            out.append("train")
    return out


def write_sets(output, header, rows, labels):
    counts = {}
    for name in SETS:
        folder = os.path.join(output, name)
        os.makedirs(folder, exist_ok=True)
        chosen = [row for row, label in zip(rows, labels) if label == name]
        if not chosen:
            raise SystemExit(f"split: the {name} set is empty; the dataset is too small for these fractions")
        with open(os.path.join(folder, f"{name}.csv"), "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(chosen)
        counts[name] = len(chosen)
    return counts


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Deterministic train/validation/holdout split")
    parser.add_argument("--input", required=True, help="a CSV file or a folder of CSV files")
    parser.add_argument("--output", required=True, help="folder for the train, validation and holdout sets")
    parser.add_argument("--holdout-fraction", type=float, required=True)
    parser.add_argument("--validation-fraction", type=float, default=0.2,
                        help="share of the non-holdout rows used for validation")
    parser.add_argument("--key-columns", default="", help="comma-separated key columns; empty hashes whole rows")
    parser.add_argument("--salt", default="aidlc", help="changes every assignment when changed")
    parser.add_argument("--manifest", help="the gate's dataset manifest (file, or folder holding it)")
    parser.add_argument("--manifest-sha256", help="the manifest's SHA-256 as the gate recorded it")
    args = parser.parse_args(argv)
    for name in ("holdout_fraction", "validation_fraction"):
        value = getattr(args, name)
        if not 0.0 < value < 1.0:
            parser.error(f"--{name.replace('_', '-')} must be between 0 and 1, got {value}")
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    manifest = None
    if args.manifest or args.manifest_sha256:
        if not (args.manifest and os.path.isdir(args.input)):
            raise SystemExit("split: --manifest needs --manifest-sha256 and an --input folder (the gate run's data prefix)")
        manifest = verify_manifest(args.input, args.manifest, args.manifest_sha256)
    header, rows = read_rows(input_files(args.input))
    keys = [c for c in args.key_columns.split(",") if c]
    labels = assign(header, rows, keys, args.holdout_fraction, args.validation_fraction, args.salt)
    counts = write_sets(args.output, header, rows, labels)
    summary = {"rows": len(rows), **counts}
    if manifest is not None:
        summary.update(manifest_run=manifest.get("run"), manifest_objects=len(manifest["objects"]))
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
