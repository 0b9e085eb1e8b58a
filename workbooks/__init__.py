"""Excel workbooks in and out: a unit's score-sheet template generated from the rubric file,
a filled template read back into the same answers and checks as a YAML sheet, and a cycle's
results as the decisions publish them (docs/workbooks.md).

An adapter beside `rubrics/`: it imports `domain` and `rubrics` only (and its two spreadsheet
libraries, lazily, inside the functions that need them). `services.workbooks` calls it and
hands the portal and the CLI bytes or typed results.
"""
