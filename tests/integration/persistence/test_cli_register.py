"""The register from the command line: the bootstrap import, then only an administrator
(`--as`) or the shell (`dtiflow admin`) imports again; a dry run prints the diff; a changed
e-mail needs --confirm; every refusal is one line, exit 2."""

from __future__ import annotations

import getpass

from test_cli_end_to_end import Cli

from rubrics.units_loader import DEFAULT_REGISTER


def _edited(tmp_path, old: str, new: str):
    path = tmp_path / "register.yaml"
    path.write_text(DEFAULT_REGISTER.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return str(path)


def test_the_register_is_imported_by_the_bootstrap_then_by_an_administrator_or_the_shell(tmp_path, monkeypatch, capsys):
    cli = Cli(monkeypatch, capsys, f"sqlite:///{tmp_path / 'r.db'}")
    cli("db", "upgrade")
    first = cli("units", "import", "--json")
    assert (first["actor"], first["role"], first["applied"]) == ("system:bootstrap", "bootstrap", True)
    assert "dtiflow admin units import" in cli("units", "import", expect=2)
    assert "import_register" in cli("units", "import", "--as", "thuongtruc.stttt", expect=2)

    moved = _edited(tmp_path, "daumoi.snv@binhthuan.example", "daumoi.snv@khac.example")
    preview = cli("units", "import", moved, "--dry-run", "--as", "quantri.stttt")
    assert preview.startswith("Chạy thử: chưa thay đổi gì.")
    assert ("[cần xác nhận] đổi e-mail của 'daumoi.snv': daumoi.snv@binhthuan.example -> daumoi.snv@khac.example"
            in preview)
    assert "--confirm" in cli("units", "import", moved, "--as", "quantri.stttt", expect=2)
    done = cli("units", "import", moved, "--as", "quantri.stttt", "--confirm")
    assert "người thực hiện: quantri.stttt (administrator)" in done

    again = cli("admin", "units", "import", moved, "--json")
    assert again["unchanged"] and again["actor"] == f"ops:{getpass.getuser()}"
    log = cli("units", "log", "--as", "quantri.stttt", "--json")
    assert [(e["actor"], e["role"]) for e in log] == [("system:bootstrap", "bootstrap"), ("quantri.stttt", "administrator")]
    assert "RegisterImported" in cli("admin", "units", "log")


def test_an_address_the_mailer_rejects_is_refused_at_import_naming_file_and_line(tmp_path, monkeypatch, capsys):
    cli = Cli(monkeypatch, capsys, f"sqlite:///{tmp_path / 'r.db'}")
    cli("db", "upgrade")
    bad = _edited(tmp_path, "email: daumoi.stp@binhthuan.example", "email: phạm.stp@binhthuan.example")
    err = cli("units", "import", bad, expect=2)
    assert "register.yaml:" in err and "unit STP, field 'email'" in err and "ASCII" in err
