"""The Ministry's rule for DTI 2024 after Resolution 202/2025/QH15: «Kết quả DTI của các tỉnh,
thành sau sáp nhập được tính toán dựa trên giá trị trung bình cộng các chỉ số chính của DTI các
tỉnh trước sáp nhập» (Bộ KH&CN, 20–21/10/2025). Worked by hand, row by row."""

from __future__ import annotations

import pytest

from domain.lineage import Lineage, LineageError, average_main_indices

LAM_DONG = Lineage("Lâm Đồng", ("Lâm Đồng", "Đắk Nông", "Bình Thuận"))
TAY_NINH = Lineage("Tây Ninh", ("Tây Ninh", "Long An"))
HA_NOI = Lineage("Hà Nội", ("Hà Nội",))


@pytest.mark.parametrize(
    "lineage, results, indices, total",
    [
        # Three former provinces: (0.60 + 0.70 + 0.80) / 3 = 0.70; (0.30 + 0.60 + 0.90) / 3 = 0.60.
        (LAM_DONG, {"Lâm Đồng": {"1": 0.60, "6": 0.30}, "Đắk Nông": {"1": 0.70, "6": 0.60},
                    "Bình Thuận": {"1": 0.80, "6": 0.90}}, {"1": 0.70, "6": 0.60}, 1.30),
        # Two: (0.8241 + 0.6000) / 2 = 0.71205 — the total is also the mean of the former totals.
        (TAY_NINH, {"Tây Ninh": {"1": 0.8241}, "Long An": {"1": 0.6000}}, {"1": 0.71205}, 0.71205),
        # Unchanged by the resolution: its own result, unchanged.
        (HA_NOI, {"Hà Nội": {"1": 0.5, "2": 0.3241}}, {"1": 0.5, "2": 0.3241}, 0.8241),
    ],
)
def test_a_merged_province_gets_the_mean_of_each_main_index_of_its_former_provinces(lineage, results, indices, total):
    (merged,), without = average_main_indices(results, [lineage])
    assert merged.unit == lineage.successor and merged.predecessors == lineage.predecessors
    assert merged.indices == pytest.approx(indices)
    assert merged.total == pytest.approx(total)
    assert merged.total == pytest.approx(sum(sum(r.values()) for r in results.values()) / len(results))
    assert merged.merged is (len(lineage.predecessors) > 1) and without == ()


def test_a_province_whose_former_provinces_all_lack_results_is_listed_without_results():
    merged, without = average_main_indices({"Hà Nội": {"1": 0.8}}, [HA_NOI, TAY_NINH])
    assert [m.unit for m in merged] == ["Hà Nội"] and without == ("Tây Ninh",)


@pytest.mark.parametrize(
    "results, message",
    [
        ({"Lâm Đồng": {"1": 0.6}, "Bình Thuận": {"1": 0.8}},
         "Lâm Đồng: thiếu kết quả năm trước của Đắk Nông (cần đủ 3 đơn vị: Lâm Đồng, Đắk Nông, Bình Thuận)"),
        ({"Lâm Đồng": {"1": 0.6}, "Đắk Nông": {"1": 0.7, "2": 0.1}, "Bình Thuận": {"1": 0.8}},
         "Lâm Đồng: Đắk Nông có các chỉ số chính khác Lâm Đồng (1)"),
        ({"Lâm Đồng": {"1": 0.6}, "Đắk Nông": {"1": 0.7}, "Bình Thuận": {"1": 0.8}, "Binh Thuan": {"1": 0.1}},
         "kết quả của đơn vị không có trong danh sách sắp xếp: Binh Thuan"),
    ],
)
def test_results_that_do_not_fit_the_lineage_are_refused_naming_the_units(results, message):
    with pytest.raises(LineageError) as err:
        average_main_indices(results, [LAM_DONG])
    assert str(err.value) == message
