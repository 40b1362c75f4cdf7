import io
import json
import os
import subprocess
import tempfile
import unittest
from contextlib import redirect_stderr

import numpy as np

import support  # noqa: I100  (first: puts training/ on sys.path)
import train


class TrainOnSampleTest(unittest.TestCase):
    """Trains once on the churn sample as SageMaker would run the script, then inspects the model."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        root = cls.tmp.name
        cls.split_dir = os.path.join(root, "split")
        support.run_split(support.sample_csv(), cls.split_dir)
        cls.model_dir = os.path.join(root, "model")
        cls.output_dir = os.path.join(root, "output")
        cls.checkpoint_dir = os.path.join(root, "checkpoints")
        env = support.training_env(os.path.join(cls.split_dir, "train"), os.path.join(cls.split_dir, "validation"),
                                   cls.model_dir, cls.output_dir, cls.checkpoint_dir)
        cls.result = subprocess.run(
            [support.PYTHON, support.script("train.py"), "--num_round", "60", "--checkpoint_interval", "10"]
            + support.SAMPLE_HYPERPARAMETERS, env=env, capture_output=True, text=True)
        cls.model = train.model_fn(cls.model_dir) if cls.result.returncode == 0 else None

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def setUp(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr[-2000:])

    def test_writes_model_encoding_code_and_metrics(self):
        for name in ("xgboost-model.json", "encoding.json", "training-metrics.json", os.path.join("code", "train.py")):
            self.assertTrue(os.path.isfile(os.path.join(self.model_dir, name)), name)
        metrics = support.read_json(os.path.join(self.output_dir, "metrics.json"))
        self.assertEqual(metrics["trained_rounds"], 60)
        self.assertEqual(metrics["resumed_from_round"], 0)
        self.assertEqual(metrics["checkpoints_written"], 6)
        self.assertGreater(metrics["validation"]["auc"], 0.7)
        self.assertLessEqual(metrics["rounds"], 60)
        self.assertIn("final validation-auc:", self.result.stdout)

    def test_checkpoints_every_interval_with_the_validation_history(self):
        rounds = sorted(int(name[11:17]) for name in os.listdir(self.checkpoint_dir) if name.startswith("checkpoint-0"))
        self.assertEqual(rounds, [10, 20, 30, 40, 50, 60])
        history = support.read_json(os.path.join(self.checkpoint_dir, "history-000030.json"))["validation"]
        self.assertEqual(len(history), 30)

    def test_categories_are_encoded_with_sorted_codes_and_saved(self):
        encoding = support.read_json(os.path.join(self.model_dir, "encoding.json"))
        self.assertEqual(encoding["target"], "churned")
        self.assertNotIn("customer_id", encoding["features"])
        self.assertNotIn("signup_date", encoding["features"])
        self.assertEqual(encoding["categories"]["contract"], ["month-to-month", "one-year", "two-year"])
        self.assertEqual(encoding["categories"]["is_senior"], ["false", "true"])
        self.assertNotIn("age", encoding["categories"])
        frame = train.read_table(os.path.join(self.split_dir, "holdout"))
        matrix = train.feature_matrix(frame, encoding)
        column = encoding["features"].index("contract")
        expected = frame["contract"].map({"month-to-month": 0.0, "one-year": 1.0, "two-year": 2.0}).to_numpy()
        np.testing.assert_array_equal(matrix[:, column], expected)

    def test_unknown_categories_and_empty_values_become_missing(self):
        encoding = self.model["encoding"]
        frame = train.read_table(os.path.join(self.split_dir, "holdout")).head(2).copy()
        frame.loc[:, "contract"] = ["ten-year", ""]
        frame.loc[:, "age"] = ["", "41"]
        matrix = train.feature_matrix(frame, encoding)
        self.assertTrue(np.isnan(matrix[0, encoding["features"].index("contract")]))
        self.assertTrue(np.isnan(matrix[1, encoding["features"].index("contract")]))
        self.assertTrue(np.isnan(matrix[0, encoding["features"].index("age")]))
        self.assertEqual(matrix[1, encoding["features"].index("age")], 41.0)

    def test_serving_hooks_answer_csv_and_json_like_predict_frame(self):
        frame = train.read_table(os.path.join(self.split_dir, "holdout")).head(5)
        expected = train.predict_frame(self.model, frame)
        features = self.model["encoding"]["features"]
        csv_body = "\n".join(",".join(row) for row in frame[features].values.tolist())
        from_csv = train.predict_fn(train.input_fn(csv_body, "text/csv"), self.model)
        np.testing.assert_array_equal(from_csv, expected)
        records = json.loads(frame.to_json(orient="records"))
        from_json = train.predict_fn(train.input_fn(json.dumps({"instances": records}), "application/json"), self.model)
        np.testing.assert_array_equal(from_json, expected)
        body, content_type = train.output_fn(expected, "application/json")
        self.assertEqual(content_type, "application/json")
        self.assertEqual(len(json.loads(body)["predictions"]), 5)
        body, content_type = train.output_fn(expected, "text/csv")
        self.assertEqual((content_type, len(body.strip().split("\n"))), ("text/csv", 5))
        with self.assertRaises(ValueError):
            train.input_fn("a,b", "application/x-unknown")
        with self.assertRaises(ValueError):
            train.predict_fn(train.input_fn("1,2,3", "text/csv"), self.model)


class HyperparameterTest(unittest.TestCase):
    def test_sagemaker_style_arguments_split_into_options_and_booster_params(self):
        options, params = train.parse_hyperparameters(
            ["--target", "y", "--num_round", "30", "--max_depth", "4", "--eta=0.3", "--checkpoint_interval", "5"])
        self.assertEqual((options.target, options.num_round, options.checkpoint_interval), ("y", 30, 5))
        self.assertEqual(params["max_depth"], "4")
        self.assertEqual(params["eta"], "0.3")
        self.assertEqual(params["objective"], "binary:logistic")
        self.assertEqual(params["tree_method"], "hist")
        self.assertNotIn("num_round", params)

    def test_best_round_follows_the_metric_direction(self):
        self.assertEqual(train.best_round([0.7, 0.8, 0.8, 0.75], "auc"), 2)
        self.assertEqual(train.best_round([0.5, 0.4, 0.45], "logloss"), 2)
        self.assertIsNone(train.best_round([], "auc"))

    def test_a_missing_value_or_target_is_refused(self):
        with redirect_stderr(io.StringIO()):
            with self.assertRaises(SystemExit):
                train.parse_hyperparameters(["--target", "y", "--max_depth"])
            with self.assertRaises(SystemExit):
                train.parse_hyperparameters(["--num_round", "3"])


if __name__ == "__main__":
    unittest.main()
