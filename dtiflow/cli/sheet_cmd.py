"""`dtiflow sheet import|submit|explain`: a unit's own commands on its sheet."""

from __future__ import annotations

import argparse
from contextlib import ExitStack
from pathlib import Path

from dtiflow.cli import present
from dtiflow.cli.errors import UserError
from dtiflow.cli.store_wiring import add_actor, build_services, show
from dtiflow.cli.workbook_cmd import import_workbook, is_workbook, register_template
from files.source import open_regular_file
from files.store import FileRefused
from rubrics.sheet_loader import load_sheet_file
from services import sheets, verification
from services.evidence import Upload, store_uploads


def _evidence(text: str) -> tuple[str, Path]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"'{text}' is not CRITERION=FILE")
    criterion, path = text.split("=", 1)
    return criterion.strip(), Path(path.strip())


def register(sub: argparse._SubParsersAction) -> None:
    sheet = sub.add_parser("sheet", help="a unit's sheet: import a draft, submit it, answer an explanation request")
    ssub = sheet.add_subparsers(dest="sheet_command", metavar="ACTION", parser_class=type(sheet))
    ssub.required = True
    imp = ssub.add_parser("import", help="save a sheet file (YAML, or a filled .xlsx template) as the unit's draft "
                                         "(the unit's focal person)")
    imp.add_argument("cycle")
    imp.add_argument("unit")
    imp.add_argument("file")
    imp.add_argument("--evidence", type=_evidence, action="append", default=[], metavar="CRITERION=FILE",
                     help="attach an evidence file to a criterion: copied into the file store (DTIFLOW_FILES_DIR) "
                          "if it is a PDF, an image or an Office/OpenDocument file within the size limit")
    add_actor(imp)
    imp.set_defaults(handler=_import)
    register_template(ssub)
    sub_ = ssub.add_parser("submit", help="confirm and send the sheet (the unit's leader)")
    sub_.add_argument("cycle")
    sub_.add_argument("unit")
    add_actor(sub_)
    sub_.set_defaults(handler=_submit)
    sh = ssub.add_parser("show", help="one unit's sheet: answers, evidence, explanations, scores by round")
    sh.add_argument("cycle")
    sh.add_argument("unit")
    add_actor(sh, key=False)
    sh.set_defaults(handler=_show)
    ex = ssub.add_parser("explain", help="answer an explanation request (the unit's focal person or leader)")
    ex.add_argument("cycle")
    ex.add_argument("unit")
    ex.add_argument("--request", type=int, required=True, help="the request number")
    ex.add_argument("--answer", required=True, help="the explanation")
    add_actor(ex)
    ex.set_defaults(handler=_explain)


def _import(args: argparse.Namespace) -> int:
    if is_workbook(args.file):  # a filled template: every bad cell at once, as Phiếu!E14
        result = import_workbook(args, _evidence_files(args.evidence))
        show(args, result, lambda r: f"Đã lưu bản nháp của {r['unit_code']} ({r['answers']} tiêu chí, {r['evidence']} minh chứng)")
        return 0
    loaded = load_sheet_file(args.file)  # a bad sheet: file:line, unit, criterion, field
    for criterion, path in args.evidence:  # before a byte is stored: the rubric has the criterion
        if loaded.sheet.rubric_id and criterion not in _criteria(loaded.sheet.rubric_id):
            raise UserError(f"tệp minh chứng {path}: mẫu phiếu '{loaded.sheet.rubric_id}' không có tiêu chí '{criterion}'")
    services = build_services()
    evidence = _evidence_files(args.evidence, services)
    # The file may name its unit by code or as the province writes it; the service checks both.
    result = sheets.save_draft(services, actor_id=args.actor, cycle_id=args.cycle, unit_code=args.unit,
                               answers=loaded.sheet, evidence=evidence, key=args.key)
    show(args, result, lambda r: f"Đã lưu bản nháp của {r['unit_code']} ({r['answers']} tiêu chí, {r['evidence']} minh chứng)")
    return 0


def _evidence_files(items: list[tuple[str, Path]], services=None) -> list:
    """Each --evidence file opened (devices, FIFOs, folders, /proc: refused unread) and streamed
    into the file store under its caps and kinds (services.evidence.store_uploads)."""
    if not items:
        return []
    with ExitStack() as opened:
        uploads = []
        for criterion, path in items:
            try:
                stream = opened.enter_context(open_regular_file(path))
            except FileRefused as exc:
                raise UserError(f"tệp minh chứng của tiêu chí {criterion}: {path}: {exc.message}") from None
            uploads.append(Upload(criterion, path.name, stream))
        services = services or build_services()
        return store_uploads(services.files, uploads, services.file_limits)


def _criteria(rubric_id: str) -> set[str]:
    from rubrics.rubric_loader import load_rubric

    return {c.id for c in load_rubric(rubric_id).criteria}


def _submit(args: argparse.Namespace) -> int:
    result = sheets.submit_sheet(build_services(), actor_id=args.actor, cycle_id=args.cycle, unit_code=args.unit,
                                 key=args.key)
    if result["outcome"] == "refused":
        if args.json:
            show(args, result, str)
        raise UserError(f"phiếu của {args.unit} không được tiếp nhận: nhận lúc {present.moment(result['received_at'])}, "
                        f"thời hạn nhận phiếu đã kết thúc lúc {present.deadline(result['acceptance_end'])} (đơn vị không được đánh giá, xếp hạng)")
    label = {"on_time": "đúng hạn", "late": "trễ hạn (trong thời gian cho phép)"}[result["outcome"]]
    show(args, result, lambda r: f"Đã nhận phiếu của {r['unit_code']} lúc {present.moment(r['received_at'])}: {label}")
    return 0


def _explain(args: argparse.Namespace) -> int:
    result = verification.answer_explanation(build_services(), actor_id=args.actor, cycle_id=args.cycle,
                                             unit_code=args.unit, request_id=args.request, answer=args.answer, key=args.key)
    show(args, result, lambda r: f"Đã gửi giải trình số {r['request_id']} của {r['unit_code']}")
    return 0


_SCORE_KIND = {"computed": "chấm sơ bộ", "verified": "thẩm định"}


def _show_text(r: dict) -> str:
    lines = [f"{r['unit_code']} — nhóm {r['group']}, mẫu {r['rubric_id']}: {present.sheet_state(r['state'])}"
             f"{' (trễ hạn)' if r['late'] else ''}; nhận lúc {present.moment(r['received_at']) if r['received_at'] else '—'}"]
    for cid in sorted(set(r["answers"]) | set(r["scores"])):
        marks = ", ".join(f"{_SCORE_KIND.get(s['kind'], s['kind'])} vòng {s['round']}: {present.number(s['points'])}"
                          for s in r["scores"].get(cid, []))
        lines.append(f"  tiêu chí {cid}: {marks or 'chưa chấm'}")
    for x in r["explanations"]:
        lines.append(f"  giải trình số {x['id']} (hạn {present.deadline(x['due'])}): {x['question']} — trả lời: {x['answer'] or 'chưa có'}")
    return "\n".join(lines)


def _show(args: argparse.Namespace) -> int:
    from services.queries import sheet_detail

    show(args, sheet_detail(build_services(), actor_id=args.actor, cycle_id=args.cycle, unit_code=args.unit), _show_text)
    return 0
