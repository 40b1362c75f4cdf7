import csv
import io
import os
import subprocess
import tempfile
import unittest
from contextlib import redirect_stderr

import support  # noqa: F401  (puts training/ on sys.path)
import split


def read_csv(path):
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


class SplitTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.header, self.rows = read_csv(support.sample_csv())

    def split(self, data, name="out", **options):
        output = os.path.join(self.tmp.name, name)
        support.run_split(data, output, **options)
        return {s: read_csv(os.path.join(output, s, f"{s}.csv")) for s in split.SETS}

    def test_every_row_lands_in_exactly_one_set_with_the_header(self):
        sets = self.split(support.sample_csv())
        together = []
        for name, (header, rows) in sets.items():
            self.assertEqual(header, self.header, name)
            together += rows
        self.assertEqual(sorted(map(tuple, together)), sorted(map(tuple, self.rows)))

    def test_fractions_follow_the_arguments(self):
        sets = self.split(support.sample_csv(), holdout=0.2)
        n = len(self.rows)
        holdout, validation = len(sets["holdout"][1]), len(sets["validation"][1])
        self.assertAlmostEqual(holdout / n, 0.2, delta=0.03)
        self.assertAlmostEqual(validation / n, 0.8 * 0.2, delta=0.03)

    def test_the_same_input_gives_the_same_sets(self):
        first = self.split(support.sample_csv(), name="a")
        second = self.split(support.sample_csv(), name="b")
        self.assertEqual(first, second)

    def test_a_row_keeps_its_set_when_the_dataset_grows(self):
        half = os.path.join(self.tmp.name, "half.csv")
        with open(half, "w", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows([self.header] + self.rows[:1000])
        small = self.split(half, name="small")
        full = self.split(support.sample_csv(), name="full")
        for name in split.SETS:
            self.assertTrue(set(map(tuple, small[name][1])) <= set(map(tuple, full[name][1])), name)

    def test_a_folder_of_files_is_read_as_one_dataset(self):
        folder = os.path.join(self.tmp.name, "parts")
        os.makedirs(folder)
        for i, chunk in enumerate((self.rows[:700], self.rows[700:])):
            with open(os.path.join(folder, f"part-{i}.csv"), "w", newline="") as handle:
                csv.writer(handle, lineterminator="\n").writerows([self.header] + chunk)
        with open(os.path.join(folder, "part-0.report.json"), "w") as handle:
            handle.write("{}")
        self.assertEqual(self.split(folder, name="parts"), self.split(support.sample_csv(), name="whole"))

    def test_the_key_decides_not_the_other_columns(self):
        keys = [row[0] for row in self.rows]
        changed = [[row[0]] + ["x"] * (len(row) - 1) for row in self.rows]
        a = split.assign(self.header, self.rows, ["customer_id"], 0.2, 0.2, "aidlc")
        b = split.assign(self.header, changed, ["customer_id"], 0.2, 0.2, "aidlc")
        self.assertEqual(a, b)
        self.assertEqual(len(set(keys)), len(keys))

    def test_bad_input_is_refused_with_a_message(self):
        ragged = os.path.join(self.tmp.name, "ragged.csv")
        with open(ragged, "w") as handle:
            handle.write("a,b\n1,2\n3\n")
        result = subprocess.run(
            [support.PYTHON, support.script("split.py"), "--input", ragged, "--output", self.tmp.name,
             "--holdout-fraction", "0.2"], capture_output=True, text=True)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("line 3 has 1 fields, expected 2", result.stderr)
        with self.assertRaises(SystemExit):
            split.assign(self.header, self.rows, ["no_such_column"], 0.2, 0.2, "aidlc")
        with redirect_stderr(io.StringIO()), self.assertRaises(SystemExit):
            split.parse_args(["--input", "x", "--output", "y", "--holdout-fraction", "1.5"])


if __name__ == "__main__":
    unittest.main()
