"""A Spot interruption: the job is stopped mid-training and started again with the same
checkpoint folder (SageMaker restores it from S3). The restarted job must continue from the
latest checkpoint, not from round 0, and end with the model an uninterrupted job makes."""

import glob
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

import numpy as np

import support  # noqa: I100  (first: puts training/ on sys.path)
import train

ROUNDS = 150
INTERVAL = 5
# The sample repeated in the train channel, so training lasts long enough to be interrupted.
REPEAT = 12
ARGS = ["--num_round", str(ROUNDS), "--checkpoint_interval", str(INTERVAL)] + support.SAMPLE_HYPERPARAMETERS


def checkpoint_rounds(folder):
    return sorted(int(os.path.basename(p)[11:17]) for p in glob.glob(os.path.join(folder, "checkpoint-*.json")))


class SpotInterruptionTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        root = cls.tmp.name
        split_dir = os.path.join(root, "split")
        support.run_split(support.sample_csv(), split_dir)
        cls.train_dir = os.path.join(root, "train")
        os.makedirs(cls.train_dir)
        with open(os.path.join(split_dir, "train", "train.csv")) as handle:
            lines = handle.read().splitlines()
        with open(os.path.join(cls.train_dir, "train.csv"), "w") as handle:
            handle.write("\n".join([lines[0]] + lines[1:] * REPEAT) + "\n")
        cls.validation_dir = os.path.join(split_dir, "validation")
        cls.holdout = train.read_table(os.path.join(split_dir, "holdout"))
        cls.reference = cls.start("reference")
        cls.reference.wait()
        cls.reference_model = train.model_fn(os.path.join(root, "reference", "model"))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    @classmethod
    def folder(cls, run, name):
        return os.path.join(cls.tmp.name, run, name)

    @classmethod
    def start(cls, run, checkpoints=None):
        env = support.training_env(cls.train_dir, cls.validation_dir, cls.folder(run, "model"),
                                   cls.folder(run, "output"), checkpoints or cls.folder(run, "checkpoints"))
        os.makedirs(os.path.join(cls.tmp.name, run), exist_ok=True)
        with open(os.path.join(cls.tmp.name, run, "log.txt"), "a") as log:
            return subprocess.Popen([support.PYTHON, support.script("train.py")] + ARGS, env=env,
                                    stdout=log, stderr=subprocess.STDOUT)

    def wait_for_checkpoint(self, process, folder, at_least):
        deadline = time.time() + 60
        while time.time() < deadline:
            rounds = checkpoint_rounds(folder)
            if rounds and rounds[-1] >= at_least:
                return
            if process.poll() is not None:
                self.fail(f"training ended (status {process.returncode}) before a checkpoint at round {at_least}")
            time.sleep(0.01)
        self.fail("no checkpoint within 60 s")

    def metrics(self, run):
        return support.read_json(self.folder(run, os.path.join("output", "metrics.json")))

    def assert_same_model_as_uninterrupted(self, run):
        model = train.model_fn(self.folder(run, "model"))
        self.assertEqual(model["booster"].num_boosted_rounds(), self.reference_model["booster"].num_boosted_rounds())
        expected = train.predict_frame(self.reference_model, self.holdout)
        actual = train.predict_frame(model, self.holdout)
        np.testing.assert_array_equal(actual, expected)
        from sklearn.metrics import roc_auc_score
        labels = train.label_vector(self.holdout, model["encoding"])
        self.assertEqual(roc_auc_score(labels, actual), roc_auc_score(labels, expected))

    def test_reference_run_was_not_resumed(self):
        self.assertEqual(self.reference.returncode, 0)
        self.assertEqual(self.metrics("reference")["resumed_from_round"], 0)
        self.assertEqual(checkpoint_rounds(self.folder("reference", "checkpoints"))[-1], ROUNDS)

    def test_sigterm_then_sigkill_then_restart_resumes_from_the_checkpoint(self):
        checkpoints = self.folder("stopped", "checkpoints")
        first = self.start("stopped")
        self.wait_for_checkpoint(first, checkpoints, INTERVAL)
        first.send_signal(signal.SIGTERM)
        try:
            first.wait(timeout=5)
        except subprocess.TimeoutExpired:
            first.kill()
            first.wait()
        self.assertIn(first.returncode, (train.SIGTERM_EXIT_CODE, -signal.SIGKILL))
        self.assertFalse(os.path.exists(self.folder("stopped", os.path.join("output", "metrics.json"))))
        latest = checkpoint_rounds(checkpoints)[-1]
        self.assertGreater(latest, 0)
        self.assertLess(latest, ROUNDS)

        second = self.start("stopped", checkpoints)
        second.wait()
        self.assertEqual(second.returncode, 0)
        metrics = self.metrics("stopped")
        self.assertEqual(metrics["resumed_from_round"], latest)
        self.assertEqual(metrics["trained_rounds"], ROUNDS)
        with open(self.folder("stopped", "log.txt")) as handle:
            self.assertIn(f"resumed from checkpoint at round {latest} of {ROUNDS}", handle.read())
        self.assert_same_model_as_uninterrupted("stopped")

    def test_sigkill_without_warning_resumes_from_the_last_complete_checkpoint(self):
        checkpoints = self.folder("killed", "checkpoints")
        first = self.start("killed")
        self.wait_for_checkpoint(first, checkpoints, 2 * INTERVAL)
        first.kill()
        first.wait()
        latest = checkpoint_rounds(checkpoints)[-1]
        self.assertLess(latest, ROUNDS)

        second = self.start("killed", checkpoints)
        second.wait()
        self.assertEqual(second.returncode, 0)
        self.assertEqual(self.metrics("killed")["resumed_from_round"], latest)
        self.assert_same_model_as_uninterrupted("killed")

    def test_checkpoints_of_another_run_are_not_resumed(self):
        checkpoints = self.folder("other", "checkpoints")
        shutil.copytree(self.folder("reference", "checkpoints"), checkpoints)
        env = support.training_env(self.train_dir, self.validation_dir, self.folder("other", "model"),
                                   self.folder("other", "output"), checkpoints)
        result = subprocess.run([support.PYTHON, support.script("train.py")] + ARGS + ["--num_round", "20"],
                                env=env, capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stderr[-2000:])
        self.assertIn("ignoring 30 checkpoints of a different run", result.stdout)
        self.assertEqual(self.metrics("other")["resumed_from_round"], 0)


if __name__ == "__main__":
    unittest.main()
