"""Small-number suppression: primary (fewer than 10 people) and secondary (so a hidden group cannot be worked
out from the total)."""

from portal.insight.suppression import FEWER_THAN, HIDDEN, MIN_PEOPLE, Cell, suppress, suppress_one


def shown(cells, total_shown=True):
    return {s.label: (s.people, s.value, s.reason) for s in suppress(cells, total_shown)}


def test_ten_people_is_enough_and_nine_is_not():
    assert MIN_PEOPLE == 10
    assert suppress_one("All", 10, 50.0).people == 10
    assert suppress_one("All", 10, 50.0).value == 50.0
    nine = suppress_one("All", 9, 50.0)
    assert nine.suppressed and nine.people is None and nine.value is None and nine.reason == FEWER_THAN


def test_zero_is_not_a_person_and_is_shown():
    assert not suppress_one("All", 0, None).suppressed
    result = shown([Cell("A", 0, None), Cell("B", 20, 10.0)])
    assert result == {"A": (0, None, None), "B": (20, 10.0, None)}


def test_one_person_is_hidden():
    assert suppress_one("All", 1, 100.0).reason == FEWER_THAN


def test_nothing_small_means_nothing_hidden():
    cells = [Cell("A", 10, 1.0), Cell("B", 11, 2.0), Cell("C", 30, 3.0)]
    assert shown(cells) == {"A": (10, 1.0, None), "B": (11, 2.0, None), "C": (30, 3.0, None)}


def test_one_small_group_hides_the_next_smallest_when_a_total_is_shown():
    cells = [Cell("A", 25, 1.0), Cell("B", 12, 2.0), Cell("C", 4, 3.0), Cell("D", 14, 4.0)]
    result = shown(cells)
    assert result["C"] == (None, None, FEWER_THAN)
    assert result["B"] == (None, None, HIDDEN)
    assert result["A"] == (25, 1.0, None) and result["D"] == (14, 4.0, None)


def test_without_a_total_only_the_small_group_is_hidden():
    cells = [Cell("A", 25, 1.0), Cell("B", 12, 2.0), Cell("C", 4, 3.0)]
    result = shown(cells, total_shown=False)
    assert result["C"][2] == FEWER_THAN
    assert result["B"] == (12, 2.0, None)


def test_two_small_groups_summing_under_10_hide_a_third():
    cells = [Cell("A", 3, 1.0), Cell("B", 4, 2.0), Cell("C", 15, 3.0), Cell("D", 20, 4.0)]
    result = shown(cells)
    assert result["A"][2] == FEWER_THAN and result["B"][2] == FEWER_THAN
    # 3 + 4 = 7 people: the pair could still be told apart from the total only as a pair, but 7 is too few.
    assert result["C"][2] == HIDDEN
    assert result["D"] == (20, 4.0, None)


def test_two_small_groups_summing_to_10_or_more_are_enough():
    cells = [Cell("A", 5, 1.0), Cell("B", 6, 2.0), Cell("C", 15, 3.0)]
    result = shown(cells)
    assert result["A"][2] == FEWER_THAN and result["B"][2] == FEWER_THAN
    assert result["C"] == (15, 3.0, None)


def test_all_small_hides_everything():
    cells = [Cell("A", 1, 1.0), Cell("B", 2, 2.0), Cell("C", 9, 3.0)]
    assert all(reason == FEWER_THAN for _p, _v, reason in shown(cells).values())


def test_one_small_group_alone_in_a_breakdown():
    assert shown([Cell("A", 5, 1.0)]) == {"A": (None, None, FEWER_THAN)}


def test_a_small_group_and_one_large_group_hide_both():
    result = shown([Cell("A", 5, 1.0), Cell("B", 500, 2.0)])
    assert result["A"][2] == FEWER_THAN and result["B"][2] == HIDDEN


def test_zero_groups_are_never_chosen_for_secondary_suppression():
    result = shown([Cell("A", 0, None), Cell("B", 3, 1.0), Cell("C", 12, 2.0), Cell("D", 40, 3.0)])
    assert result["A"] == (0, None, None)
    assert result["C"][2] == HIDDEN and result["D"] == (40, 3.0, None)


def test_the_hidden_group_cannot_be_worked_out_from_the_total():
    cells = [Cell("A", 25, None), Cell("B", 12, None), Cell("C", 4, None), Cell("D", 14, None)]
    total = sum(c.people for c in cells)
    visible = [s.people for s in suppress(cells) if not s.suppressed]
    hidden = total - sum(visible)
    assert hidden >= MIN_PEOPLE
    assert sum(1 for s in suppress(cells) if s.suppressed) >= 2


def test_the_order_of_groups_is_kept():
    cells = [Cell(label, people, None) for label, people in (("Z", 50), ("A", 3), ("M", 20))]
    assert [s.label for s in suppress(cells)] == ["Z", "A", "M"]


def test_empty_breakdown():
    assert suppress([]) == []
