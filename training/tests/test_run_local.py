import json
import os
import subprocess
import tempfile
import unittest

import support  # noqa: I100  (first: puts training/ on sys.path)
import run_local


class RunLocalTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def run_local(self, config, *extra):
        path = support.write_json(os.path.join(self.tmp.name, "aidlc.json"), config)
        out = os.path.join(self.tmp.name, "local")
        result = subprocess.run(
            [support.PYTHON, support.script("run_local.py"), "--config", path, "--data", support.sample_csv(),
             "--out", out] + list(extra), capture_output=True, text=True, cwd=support.REPO_ROOT,
            env=support.quiet_env())
        return result, out

    def test_the_default_config_trains_evaluates_and_clears_its_bar_on_the_sample(self):
        baseline = support.write_json(os.path.join(self.tmp.name, "profile.json"), {"rows": 2000})
        result, out = self.run_local(support.SAMPLE_CONFIG, "--baseline", baseline)
        self.assertEqual(result.returncode, 0, result.stdout[-1500:] + result.stderr[-1500:])
        for path in ("split/train/train.csv", "split/holdout/holdout.csv", "model/xgboost-model.json",
                     "model/encoding.json", "model/code/train.py", "model.tar.gz", "output/metrics.json",
                     "evaluation/evaluation.json", "summary.json", "checkpoints/checkpoint-000010.json"):
            self.assertTrue(os.path.exists(os.path.join(out, path)), path)
        summary = support.read_json(os.path.join(out, "summary.json"))
        self.assertEqual((summary["metric"], summary["threshold"], summary["passed"]), ("auc", 0.75, True))
        self.assertGreaterEqual(summary["value"], 0.75)
        self.assertIn("passes the bar (>= 0.75)", result.stdout)
        self.assertEqual(support.read_json(summary["files"]["baselineProfile"]), {"rows": 2000})
        self.assertEqual(summary["files"]["model"], os.path.join(out, "model.tar.gz"))
        metrics = support.read_json(os.path.join(out, "output", "metrics.json"))
        self.assertEqual(metrics["trained_rounds"], 200)

    def test_a_bar_the_model_cannot_clear_exits_1(self):
        result, out = self.run_local(support.config(metricThreshold=0.99, hyperparameters={"num_round": "20"}))
        self.assertEqual(result.returncode, 1, result.stderr[-1500:])
        self.assertFalse(support.read_json(os.path.join(out, "summary.json"))["passed"])
        self.assertIn("does NOT pass the bar", result.stdout)

    def test_a_missing_dataset_or_baseline_exits_2(self):
        path = support.write_json(os.path.join(self.tmp.name, "aidlc.json"), support.SAMPLE_CONFIG)
        result = subprocess.run([support.PYTHON, support.script("run_local.py"), "--config", path,
                                 "--data", os.path.join(self.tmp.name, "nope.csv")], capture_output=True, text=True)
        self.assertEqual(result.returncode, 2)
        self.assertIn("the dataset", result.stderr)
        result, _out = self.run_local(support.SAMPLE_CONFIG, "--baseline", os.path.join(self.tmp.name, "nope.json"))
        self.assertEqual(result.returncode, 2)
        self.assertIn("run the data gate first", result.stderr)

    def test_hyperparameters_come_from_the_contract_and_the_training_section(self):
        values = run_local.script_hyperparameters(support.SAMPLE_CONFIG)
        self.assertEqual(values, {
            "target": "churned",
            "drop_columns": "customer_id,signup_date",
            "categorical_columns": "contract,payment_method,is_senior",
            "objective": "binary:logistic",
            "eval_metric": "auc",
            "checkpoint_interval": "10",
            "num_round": "200",
            "max_depth": "5",
            "eta": "0.1",
        })
        regression = run_local.script_hyperparameters(support.config(evaluationMetric="rmse", hyperparameters={}))
        self.assertEqual((regression["objective"], regression["eval_metric"]), ("reg:squarederror", "rmse"))

    def test_print_hyperparameters_prints_json_without_training(self):
        result, out = self.run_local(support.SAMPLE_CONFIG, "--print-hyperparameters")
        self.assertEqual(result.returncode, 0)
        self.assertEqual(json.loads(result.stdout)["target"], "churned")
        self.assertFalse(os.path.exists(out))


if __name__ == "__main__":
    unittest.main()
