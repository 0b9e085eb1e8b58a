"""Evidence is kept, not merely named: each file is streamed into the file store (SHA-256,
capped, its kind checked by content), recorded on the sheet with its label, size, kind, who
handed it in and when, and read back only by a person who may see the sheet."""

from __future__ import annotations

import io

import pytest

from domain.authorization import NotAuthorized
from files.local import LocalFileStore
from services import queries, sheets
from services.errors import InvalidRequest, NotFound
from services.evidence import FileLimits, Upload, label, store_uploads
from services.testing import SECRETARIAT, answers_for
from svc_scenario import CYCLE, REGIME, focal, open_2019

PDF = b"%PDF-1.4\n% Quyet dinh 12/QD-STTTT\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


@pytest.fixture
def files_svc(svc, tmp_path):
    svc.files = LocalFileStore(tmp_path / "files")
    open_2019(svc)
    return svc


def _save(svc, *uploads: Upload, unit: str = "STTTT"):
    evidence = store_uploads(svc.files, list(uploads), svc.file_limits)
    return sheets.save_draft(svc, actor_id=focal(unit), cycle_id=CYCLE, unit_code=unit,
                             answers=answers_for(svc, f"{REGIME}.I", unit, "I", 80), evidence=evidence)


def _stored(svc) -> list[str]:
    return sorted(p.name for p in (svc.files.root / "sha256").rglob("*") if p.is_file()) \
        if (svc.files.root / "sha256").exists() else []


def test_an_evidence_file_is_kept_and_recorded_with_its_label_kind_size_and_uploader(files_svc):
    svc = files_svc
    assert _save(svc, Upload("1", "../../tmp/QĐ 12.pdf", io.BytesIO(PDF)))["evidence"] == 1
    detail = queries.sheet_detail(svc, actor_id=focal("STTTT"), cycle_id=CYCLE, unit_code="STTTT")
    [row] = detail["evidence"]
    assert {k: row[k] for k in ("criterion_id", "file_name", "size_bytes", "media_type", "added_by")} == {
        "criterion_id": "1", "file_name": "QĐ 12.pdf", "size_bytes": len(PDF), "media_type": "application/pdf",
        "added_by": focal("STTTT")}
    assert row["added_at"] and svc.files.exists(row["sha256"])
    meta, stream = queries.open_evidence(svc, actor_id=SECRETARIAT, cycle_id=CYCLE, unit_code="STTTT",
                                         sha256=row["sha256"])
    with stream:
        assert stream.read() == PDF
    assert meta["file_name"] == "QĐ 12.pdf"


def test_evidence_for_a_criterion_the_rubric_does_not_have_is_refused(files_svc):
    with pytest.raises(InvalidRequest, match="không có tiêu chí này"):
        _save(files_svc, Upload("99", "x.pdf", io.BytesIO(PDF)))
    detail = queries.sheet_detail(files_svc, actor_id=focal("STTTT"), cycle_id=CYCLE, unit_code="STTTT")
    assert detail["evidence"] == []


@pytest.mark.parametrize("data, words", [
    (b"root:x:0:0:root:/root:/bin/bash\n", "không thuộc loại được nhận"),
    (b"", "rỗng"),
])
def test_a_file_of_a_refused_kind_is_refused_naming_criterion_and_file_and_nothing_is_kept(files_svc, data, words):
    with pytest.raises(InvalidRequest, match=f"tệp minh chứng 'passwd' của tiêu chí 1: .*{words}"):
        _save(files_svc, Upload("1", "/etc/passwd", io.BytesIO(data)))
    assert _stored(files_svc) == []


def test_a_file_over_the_per_file_cap_is_refused(files_svc):
    files_svc.file_limits = FileLimits(max_file=1024, max_sheet=10_000)
    with pytest.raises(InvalidRequest, match="lớn hơn giới hạn"):
        _save(files_svc, Upload("1", "big.pdf", io.BytesIO(PDF + b"0" * 2000)))
    assert _stored(files_svc) == []


def test_a_sheets_files_together_are_capped_across_imports(files_svc):
    svc = files_svc
    svc.file_limits = FileLimits(max_file=1024, max_sheet=len(PDF) + len(PNG) - 1)
    _save(svc, Upload("1", "a.pdf", io.BytesIO(PDF)))
    with pytest.raises(InvalidRequest, match="vượt tổng giới hạn"):
        _save(svc, Upload("2", "b.png", io.BytesIO(PNG)))
    with pytest.raises(InvalidRequest, match="vượt tổng giới hạn"):  # in one call too
        store_uploads(svc.files, [Upload("1", "a.pdf", io.BytesIO(PDF)), Upload("2", "b.png", io.BytesIO(PNG))],
                      svc.file_limits)


def test_the_same_file_for_the_same_criterion_is_recorded_once(files_svc):
    _save(files_svc, Upload("1", "a.pdf", io.BytesIO(PDF)))
    _save(files_svc, Upload("1", "a (copy).pdf", io.BytesIO(PDF)))
    detail = queries.sheet_detail(files_svc, actor_id=focal("STTTT"), cycle_id=CYCLE, unit_code="STTTT")
    assert len(detail["evidence"]) == 1


def test_a_download_checks_the_readers_grant(files_svc):
    svc = files_svc
    _save(svc, Upload("1", "a.pdf", io.BytesIO(PDF)))
    [row] = queries.sheet_detail(svc, actor_id=focal("STTTT"), cycle_id=CYCLE, unit_code="STTTT")["evidence"]
    with pytest.raises(NotAuthorized):  # another unit's focal person
        queries.open_evidence(svc, actor_id=focal("SNV"), cycle_id=CYCLE, unit_code="STTTT", sha256=row["sha256"])
    with pytest.raises(NotFound):  # a file of the store that is not this sheet's
        queries.open_evidence(svc, actor_id=focal("STTTT"), cycle_id=CYCLE, unit_code="STTTT", sha256="0" * 64)


@pytest.mark.parametrize("name, shown", [
    ("C:\\Users\\x\\Báo cáo.docx", "Báo cáo.docx"), ("../../etc/passwd", "passwd"), ("a\x1b[31mb\x07.pdf", "a[31mb.pdf"),
    ("", "tệp"), ("x" * 500 + ".pdf", "x" * 200),
])
def test_a_files_name_is_a_label_only(name, shown):
    assert label(name) == shown
