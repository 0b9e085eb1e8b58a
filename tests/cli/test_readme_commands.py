"""Every command of the README's table answers in JSON with --json (parsed here), and none of
their text answers shows an ISO instant or a Python value (`None`, `{'draft': 1}`, `0..None`)."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHEET = ROOT / "examples" / "sheets" / "binhthuan-2019-it.I" / "so-ke-hoach-dau-tu.yaml"
CYCLE = "binhthuan-2019-it-2019"
SEC = ("--as", "thuongtruc.stttt")

ISO_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
PYTHON_REPR = re.compile(r"\bNone\b|\{'|\['|\(\)|\.\.None|-> |<[a-z_.]+ object at")

# (argv, DTIFLOW_NOW): run once with --json (parsed) and once without (read as a person would).
STEPS = [
    (("calendar", "is-working-day", "02/01/2026"), None),
    (("calendar", "add-working-days", "15/09/2019", "5"), None),
    (("calendar", "count-working-days", "2026-01-01", "2026-12-31"), None),
    (("calendar", "year", "2026"), None),
    (("timeline", "binhthuan-2019-it", "--year", "2019", "--notice-date", "07/08/2019"), None),
    (("timeline", "mic-2017-egov", "--year", "2026", "--received-date", "2026-10-05"), None),
    (("timeline", "tayninh-2015-it", "--year", "2026", "--set", "submission_due=2026-09-15"), None),
    (("rubric", "list"), None),
    (("rubric", "show", "binhthuan-2019-it.I"), None),
    (("rubric", "check", str(ROOT / "rubrics" / "sheets" / "binhthuan-2019-it.I.yaml")), None),
    (("score", "--rubric", "binhthuan-2019-it.I", str(SHEET)), None),
    (("rank", "--regime", "tayninh-2015-it", str(ROOT / "examples" / "sheets" / "tayninh-2015-it.department")), None),
    (("schedule", "rrule", "--from", "2026", "--to", "2027", "--at", "08:00"), None),
    (("db", "current"), None),
    (("cycle", "status", CYCLE, *SEC), "2019-08-08T02:00:00Z"),
    (("sheet", "import", CYCLE, "SKHDT", str(SHEET), "--as", "daumoi.skhdt", "--key", "skhdt-draft"),
     "2019-09-10T02:00:00Z"),
    (("sheet", "submit", CYCLE, "SKHDT", "--as", "lanhdao.skhdt", "--key", "skhdt-send"), "2019-09-10T02:00:00Z"),
    (("unit", "extend", CYCLE, "SNV", "--until", "27/09/2019", "--reason", "Sự cố QLVB", *SEC, "--key", "ext-snv"),
     "2019-09-12T02:00:00Z"),
    (("stage", "lock", CYCLE, *SEC), "2019-09-27T18:00:00Z"),
    (("stage", "score", CYCLE, *SEC, "--key", "score-1"), "2019-09-28T02:00:00Z"),
    (("stage", "explain", CYCLE, "SKHDT", "--question", "Giải trình tiêu chí 1", *SEC, "--key", "ask-1"),
     "2019-10-01T02:00:00Z"),
    (("stage", "verify", CYCLE, "SKHDT", "--points", "1=85,5", "--as", "hoidong.1", "--key", "verify-1"),
     "2019-11-05T02:00:00Z"),
    (("stage", "approve", CYCLE, "--decision", "2912/QĐ-UBND", "--decision-date", "20/11/2019",
      "--as", "chutich.ubndtinh", "--key", "approve-1"), "2019-11-20T02:00:00Z"),
    (("stage", "publish", CYCLE, *SEC, "--key", "publish-1"), "2019-11-22T02:00:00Z"),
    (("stage", "reopen", CYCLE, "--to", "verification", "--reason", "Khiếu nại", *SEC, "--key", "reopen-1"),
     "2019-11-25T02:00:00Z"),
    (("cycle", "status", CYCLE, *SEC), "2019-11-25T03:00:00Z"),
    (("cycle", "tick", CYCLE), "2019-11-25T03:00:00Z"),
    (("cycle", "list"), None),
    (("sheet", "show", CYCLE, "SKHDT", *SEC), None),
    (("audit", CYCLE, *SEC), None),
    (("mail", "outbox"), "2019-11-25T03:00:00Z"),
    (("mail", "relay"), "2019-11-25T03:00:00Z"),
    (("mail", "preview", "notice"), None),
    (("demo", "--timelines", "--year", "2026"), None),
]


def test_every_readme_command_answers_in_json_and_reads_without_iso_instants_or_python_values(cli):
    opened = cli("cycle", "open", "binhthuan-2019-it", "--year", "2019", "--notice-date", "07/08/2019",
                 "--notice-ref", "697/STTTT-CNTT", *SEC, "--json", now="2019-08-07T02:00:00Z")
    assert opened["acceptance_end"] == "2019-09-20T17:00:00+00:00"  # ISO instants: only in --json
    text_outputs = {}
    for argv, now in STEPS:
        json.dumps(cli(*argv, "--json", now=now))  # parsed by the harness; a replay for keyed commands
        text = cli(*argv, now=now)
        text_outputs[" ".join(argv[:2])] = text
        assert not ISO_INSTANT.search(text), (argv, text)
        assert not PYTHON_REPR.search(text), (argv, text)
    assert "Lệnh này đã được thực hiện trước đó với cùng khóa --key" in text_outputs["sheet submit"]
    assert "85,5" in text_outputs["sheet show"]
