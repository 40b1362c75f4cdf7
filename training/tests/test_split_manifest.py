import hashlib
import json
import os
import shutil
import tempfile
import unittest

import support  # noqa: F401  (puts training/ on sys.path)
import split


def sha256(data):
    return hashlib.sha256(data).hexdigest()


class SplitManifestTest(unittest.TestCase):
    """Split trains only on what the gate passed: the files its manifest lists, byte for byte."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.tmp)
        with open(support.sample_csv(), "rb") as handle:
            lines = handle.read().splitlines(keepends=True)
        self.data = os.path.join(self.tmp, "data")
        os.makedirs(os.path.join(self.data, "2026"))
        self.files = {"part-1.csv": b"".join(lines[:1001]), "2026/part-2.csv": lines[0] + b"".join(lines[1001:])}
        for rel, body in self.files.items():
            with open(os.path.join(self.data, rel), "wb") as handle:
                handle.write(body)
        self.write_manifest()

    def write_manifest(self, verdict="pass", files=None):
        prefix = "validated/churn/runs/e-1/data/"
        manifest = {
            "format": "aidlc-dataset-manifest", "version": 1, "run": "e-1",
            "dataUri": f"s3://val/{prefix}", "gateReport": {"uri": "s3://val/r.json", "verdict": verdict},
            "objects": [{"bucket": "val", "key": prefix + rel, "size": len(body), "sha256": sha256(body)}
                        for rel, body in sorted((files or self.files).items())],
        }
        text = json.dumps(manifest, indent=2, sort_keys=True).encode() + b"\n"
        folder = os.path.join(self.tmp, "manifest")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "manifest.json"), "wb") as handle:
            handle.write(text)
        self.manifest_sha = sha256(text)
        return folder

    def run_split(self, sha=None):
        return split.main(["--input", self.data, "--output", os.path.join(self.tmp, "out"), "--holdout-fraction", "0.2",
                           "--key-columns", "customer_id", "--manifest", os.path.join(self.tmp, "manifest"),
                           "--manifest-sha256", sha or self.manifest_sha])

    def test_the_files_the_manifest_lists_are_split(self):
        self.assertEqual(self.run_split(), 0)
        self.assertTrue(os.path.isfile(os.path.join(self.tmp, "out", "train", "train.csv")))

    def test_a_changed_file_stops_the_run(self):
        with open(os.path.join(self.data, "part-1.csv"), "ab") as handle:
            handle.write(b"9999,2022-01-01,40,1,1.0,1.0,one-year,card,0,false,0\n")
        with self.assertRaises(SystemExit) as stop:
            self.run_split()
        self.assertIn("part-1.csv has", str(stop.exception))
        self.assertIn("the dataset is not what the gate passed in run e-1", str(stop.exception))

    def test_an_extra_or_missing_file_stops_the_run(self):
        with open(os.path.join(self.data, "extra.csv"), "wb") as handle:
            handle.write(self.files["part-1.csv"])
        os.remove(os.path.join(self.data, "2026", "part-2.csv"))
        with self.assertRaises(SystemExit) as stop:
            self.run_split()
        self.assertIn("extra.csv is not in the manifest", str(stop.exception))
        self.assertIn("2026/part-2.csv is in the manifest but missing", str(stop.exception))

    def test_a_manifest_with_another_hash_or_a_failed_gate_is_refused(self):
        with self.assertRaises(SystemExit) as stop:
            self.run_split(sha="0" * 64)
        self.assertIn("changed after the gate wrote it", str(stop.exception))
        self.write_manifest(verdict="fail")
        with self.assertRaises(SystemExit) as stop:
            self.run_split()
        self.assertIn("did not pass", str(stop.exception))

    def test_no_manifest_hash_says_how_to_start_a_run(self):
        with self.assertRaises(SystemExit) as stop:
            self.run_split(sha="none")
        self.assertIn("aidlc pipeline train --manifest", str(stop.exception))


if __name__ == "__main__":
    unittest.main()
