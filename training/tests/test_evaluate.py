import io
import os
import subprocess
import tarfile
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout

import numpy as np

import support  # noqa: I100  (first: puts training/ on sys.path)
import evaluate


class EvaluateTest(unittest.TestCase):
    """Trains a small classifier and a small regressor once, then scores them as the Evaluate step."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.split_dir = os.path.join(cls.tmp.name, "split")
        support.run_split(support.sample_csv(), cls.split_dir)
        cls.holdout = os.path.join(cls.split_dir, "holdout")
        cls.classifier = cls.train("classifier", ["--num_round", "30"] + support.SAMPLE_HYPERPARAMETERS)
        regression = [a if a not in ("churned", "binary:logistic", "auc") else
                      {"churned": "monthly_charges", "binary:logistic": "reg:squarederror", "auc": "rmse"}[a]
                      for a in support.SAMPLE_HYPERPARAMETERS]
        cls.regressor = cls.train("regressor", ["--num_round", "30", "--drop_columns", "customer_id,signup_date,churned"]
                                  + regression)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    @classmethod
    def train(cls, name, arguments):
        model_dir = os.path.join(cls.tmp.name, name)
        env = support.training_env(os.path.join(cls.split_dir, "train"), os.path.join(cls.split_dir, "validation"),
                                   model_dir, os.path.join(cls.tmp.name, name + "-output"),
                                   os.path.join(cls.tmp.name, name + "-checkpoints"))
        subprocess.run([support.PYTHON, support.script("train.py"), "--checkpoint_interval", "100"] + arguments,
                       env=env, check=True, stdout=subprocess.DEVNULL)
        archive_dir = os.path.join(cls.tmp.name, name + "-artifacts")
        os.makedirs(archive_dir)
        with tarfile.open(os.path.join(archive_dir, "model.tar.gz"), "w:gz") as tar:
            for entry in sorted(os.listdir(model_dir)):
                tar.add(os.path.join(model_dir, entry), arcname=entry)
        return archive_dir

    def arguments(self, model, metric, threshold, extra):
        self.output = tempfile.mkdtemp(dir=self.tmp.name)
        return ["--model", model, "--holdout", self.holdout, "--output", self.output,
                "--metric", metric, "--threshold", str(threshold)] + list(extra)

    def evaluate(self, model, metric, threshold, *extra):
        with redirect_stdout(io.StringIO()):
            self.assertEqual(evaluate.main(self.arguments(model, metric, threshold, extra)), 0)
        return support.read_json(os.path.join(self.output, "evaluation.json"))

    def test_classification_report_has_the_property_file_layout(self):
        result = subprocess.run([support.PYTHON, support.script("evaluate.py")]
                                + self.arguments(self.classifier, "auc", 0.5, []), capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stderr[-2000:])
        self.assertIn('"passed": true', result.stdout)
        report = support.read_json(os.path.join(self.output, "evaluation.json"))
        metrics = report["binary_classification_metrics"]
        self.assertEqual(sorted(metrics), ["accuracy", "auc", "f1", "precision", "recall"])
        self.assertGreater(metrics["auc"]["value"], 0.7)
        self.assertEqual(report["evaluation"]["metric"], "auc")
        self.assertEqual(report["evaluation"]["value"], metrics["auc"]["value"])
        self.assertTrue(report["evaluation"]["passed"])
        self.assertGreater(report["evaluation"]["holdout_rows"], 300)

    def test_the_bar_is_compared_in_the_configured_direction(self):
        self.assertFalse(self.evaluate(self.classifier, "accuracy", 0.99)["evaluation"]["passed"])
        regression = self.evaluate(self.regressor, "rmse", 1e-9, "--lower-is-better")
        self.assertEqual(sorted(regression["regression_metrics"]), ["mae", "r2", "rmse"])
        self.assertFalse(regression["evaluation"]["passed"])
        self.assertFalse(regression["evaluation"]["higher_is_better"])
        self.assertTrue(self.evaluate(self.regressor, "mae", 1e9, "--lower-is-better")["evaluation"]["passed"])

    def test_the_model_is_read_from_the_archive_the_folder_or_the_unpacked_model(self):
        archive = os.path.join(self.classifier, "model.tar.gz")
        unpacked = os.path.join(self.tmp.name, "classifier")
        values = {self.evaluate(path, "auc", 0.5)["binary_classification_metrics"]["auc"]["value"]
                  for path in (self.classifier, archive, unpacked)}
        self.assertEqual(len(values), 1)

    def test_metric_values_match_an_independent_computation(self):
        from sklearn.metrics import roc_auc_score
        import train

        model = train.model_fn(os.path.join(self.tmp.name, "classifier"))
        holdout = train.read_table(self.holdout)
        expected = roc_auc_score(train.label_vector(holdout, model["encoding"]), train.predict_frame(model, holdout))
        self.assertEqual(self.evaluate(self.classifier, "auc", 0.5)["evaluation"]["value"], expected)

    def test_the_baseline_profile_is_kept_beside_the_report(self):
        folder = os.path.join(self.tmp.name, "baseline")
        os.makedirs(folder)
        support.write_json(os.path.join(folder, "profile.json"), {"columns": {"age": {"mean": 44.1}}})
        self.evaluate(self.classifier, "auc", 0.5, "--baseline", folder)
        self.assertEqual(support.read_json(os.path.join(self.output, "baseline-profile.json")),
                         {"columns": {"age": {"mean": 44.1}}})
        broken = os.path.join(self.tmp.name, "broken.json")
        with open(broken, "w") as handle:
            handle.write("{not json")
        with self.assertRaises(SystemExit):
            self.evaluate(self.classifier, "auc", 0.5, "--baseline", broken)

    def test_metric_groups_and_refusals(self):
        self.assertEqual(evaluate.metric_group("f1"), "binary_classification_metrics")
        self.assertEqual(evaluate.metric_group("mae"), "regression_metrics")
        with self.assertRaises(SystemExit):
            evaluate.metric_group("precision_at_k")
        with self.assertRaises(SystemExit):
            evaluate.classification_metrics(np.array([1.0, 1.0]), np.array([0.2, 0.9]))
        with redirect_stderr(io.StringIO()), self.assertRaises(SystemExit):
            evaluate.parse_args(["--model", "m"])


if __name__ == "__main__":
    unittest.main()
