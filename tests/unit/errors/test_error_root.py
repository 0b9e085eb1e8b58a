"""One root for refusals; everything else is a defect with an incident reference.

A refusal (`domain.errors.Refusal`) is what a person can put right: one sentence, exit 2 (HTTP
4xx in the portal). Any other exception is ours: the person reads "lỗi hệ thống" and a reference,
the traceback is kept under that reference, exit 1 — a bug's `KeyError` is never dressed up as the
user's mistake.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

from domain.errors import Conflict, InvalidInput, NotPermitted, Refusal, Unknown
from dtiflow.cli import calendar_cmd
from dtiflow.cli.main import main

OUR_PACKAGES = ("domain", "rubrics", "store", "files", "notifications", "services", "flows", "dtiflow")

# Exceptions that are not refusals, each with why (their subclasses too): none of them may reach a
# person as such.
NOT_REFUSALS = {
    "domain.instants.NaiveInstantError": "a naive datetime inside our code is a bug, not an input",
    "store.memory_base.DuplicateKey": "the in-memory fake's unique constraint, turned into a refusal by the service",
    "notifications.transports.DeliveryFailure": "the relay's own signal; it records the reason and retries or parks",
    "dtiflow.serve.LeaseHeld": "`serve` turns it into its own message (another process owns the tick)",
    "services.runner._Replay": "control flow inside run_command (a repeated key's first result); never leaves it",
    "rubrics.sheet_loader.SheetTooLarge": "the streaming reader's signal; the loader turns it into a SheetError naming the limit",
}


def our_exception_classes() -> dict[str, type[BaseException]]:
    found: dict[str, type[BaseException]] = {}
    for package in OUR_PACKAGES:
        pkg = importlib.import_module(package)
        for info in pkgutil.walk_packages(pkg.__path__, prefix=f"{package}."):
            if ".migrations" in info.name or info.name.endswith("__main__"):
                continue
            try:
                module = importlib.import_module(info.name)
            except Exception:  # a module that needs an optional service to import is not ours to judge here
                continue
            for name, obj in vars(module).items():
                if (inspect.isclass(obj) and issubclass(obj, BaseException)
                        and obj.__module__ == module.__name__):
                    found[f"{obj.__module__}.{name}"] = obj
    return found


def test_every_exception_we_define_is_a_refusal_or_a_named_defect():
    classes = our_exception_classes()
    assert "services.errors.NotFound" in classes  # the walk found our modules
    named = tuple(classes[name] for name in NOT_REFUSALS)
    strays = sorted(name for name, cls in classes.items() if not issubclass(cls, (Refusal, *named)))
    assert not strays, f"exceptions neither refusals nor named defects: {strays}"


@pytest.mark.parametrize("dotted, root, status", [
    ("services.errors.NotFound", Unknown, 404),
    ("domain.authorization.NotAuthorized", NotPermitted, 403),
    ("domain.transitions.TransitionNotAllowed", Conflict, 409),
    ("services.errors.IdempotencyConflict", Conflict, 409),
    ("rubrics.source.DataFileError", InvalidInput, 422),
    ("domain.calendar.CalendarRangeError", InvalidInput, 422),
    ("dtiflow.cli.errors.UserError", InvalidInput, 422),
])
def test_each_refusal_says_what_the_portal_answers(dotted, root, status):
    module, name = dotted.rsplit(".", 1)
    cls = getattr(importlib.import_module(module), name)
    assert issubclass(cls, root) and cls.http_status == status


def test_a_defect_shows_a_reference_and_keeps_the_traceback(monkeypatch, tmp_path, capsys):
    def broken(*_args):
        raise KeyError("tiêu chí")  # a bug's KeyError: not the user's mistake

    monkeypatch.setattr(calendar_cmd, "load_calendar_file", broken)
    monkeypatch.setenv("DTIFLOW_INCIDENT_DIR", str(tmp_path))

    status = main(["calendar", "is-working-day", "02/01/2026"])

    err = capsys.readouterr().err
    assert status == 1
    assert "lỗi hệ thống, mã sự cố" in err and "Traceback" not in err
    (incident,) = tmp_path.iterdir()
    assert incident.stem in err
    kept = incident.read_text(encoding="utf-8")
    assert "KeyError" in kept and "Traceback" in kept and "lệnh calendar" in kept


def test_a_refusal_is_one_sentence_and_exit_2(capsys):
    status = main(["calendar", "add-working-days", "15/09/2019", "-1"])

    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2
    assert len(err) == 1 and "số ngày làm việc phải từ 0 trở lên" in err[0]
