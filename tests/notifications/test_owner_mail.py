"""Every sender, signature, reply address, authority and contact in a cycle's mail comes from the
cycle's owner in the register: a district's commune cycle (Decision 265 Art. 6(2)) speaks in the
district's name, the province's cycle in the province's, and both end with a person to call."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes, policy

import pytest
from sqlalchemy import select
from sqlmodel import Session

from domain.clock import FixedClock
from domain.instants import local_time_on
from notifications.event_mail import MailOutbox
from notifications.messages import Recipient
from notifications.outbox import Composer
from notifications.render import Renderer
from services.config import Services
from services.cycles import open_cycle
from services.testing import load_sample_units
from store.db import make_engine
from store.outbox import OutboxBody, OutboxMessage
from store.schema import create_schema
from store.uow import sql_uow_factory

SYSTEM = Recipient("noreply@dtiflow.example", "Hệ thống đánh giá")


@pytest.fixture
def notices(tmp_path):
    """The notices of a district's commune cycle (Phan Thiết, 16/10/2023) and of the province's
    DTI 2023 cycle (13/11/2023), as queued in the outbox: {owner: [parsed messages]}."""
    engine = make_engine(f"sqlite:///{tmp_path / 'dtiflow.db'}")
    create_schema(engine)
    outbox = MailOutbox(Composer(Renderer(), SYSTEM), secretariat=[Recipient("settings@dtiflow.example")],
                        secretariat_name="Tên trong cấu hình")
    services = Services(uow=sql_uow_factory(engine), clock=FixedClock(local_time_on(dt.date(2023, 10, 16), 9)),
                        outbox=outbox)
    load_sample_units(services)
    open_cycle(services, actor_id="vhtt.pt", regime_id="binhthuan-2023-dti", year=2023, owner="PT", level="commune",
               facts={"notice": dt.date(2023, 10, 16)})
    open_cycle(services, actor_id="thuongtruc.stttt", regime_id="binhthuan-2023-dti", year=2023,
               facts={"notice": dt.date(2023, 10, 16)})
    with Session(engine) as s:
        rows = s.execute(select(OutboxMessage.cycle_id, OutboxBody.raw)
                         .join(OutboxBody, OutboxBody.message_id == OutboxMessage.message_id)
                         .where(OutboxMessage.kind == "notice")).all()
    engine.dispose()
    out: dict[str, list] = {"PT": [], "province": []}
    for cycle_id, raw in rows:
        out["PT" if "-PT-" in cycle_id else "province"].append(message_from_bytes(raw, policy=policy.default))
    return out


def _text(message) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def test_a_districts_commune_cycle_speaks_in_the_districts_name(notices):
    assert len(notices["PT"]) == 6  # the six communes of Phan Thiết in the register
    for message in notices["PT"]:
        text = _text(message)
        assert message["From"].addresses[0].display_name == "Phòng Văn hóa và Thông tin thành phố Phan Thiết"
        assert message["From"].addresses[0].addr_spec == SYSTEM.address  # the system sends
        assert message["Reply-To"].addresses[0].addr_spec == "vhtt.pt@binhthuan.example"
        assert "chịu trách nhiệm trước Ủy ban nhân dân thành phố Phan Thiết." in text
        assert "của Phòng Văn hóa và Thông tin thành phố Phan Thiết về việc" in text
        assert "hộp thư công vụ của Phòng Văn hóa và Thông tin thành phố Phan Thiết (vhtt.pt@binhthuan.example)" in text
        assert "tỉnh Bình Thuận" not in text.split("\n--\n")[0]  # the province is not named as sender
        assert "Tên trong cấu hình" not in text


def test_every_notice_ends_with_the_owners_contact_person_phone_and_address(notices):
    footers = {owner: {_text(m).split("\n--\n", 1)[1] for m in ms} for owner, ms in notices.items()}
    (district,), (province,) = footers["PT"], footers["province"]
    assert "Người liên hệ: Bà Lê Minh Linh, ĐT 0252 000 0001, vhtt.pt@binhthuan.example" in district
    assert "Địa chỉ: Số 2 đường Minh Họa, thành phố Phan Thiết" in district
    assert "Người liên hệ: Ông Bùi Hữu An (Phòng Bưu chính Viễn thông và CNTT), ĐT 0252 000 0000" in province
    assert province.startswith("Sở Thông tin và Truyền thông tỉnh Bình Thuận — ")
