"""The recommendation ranking: each signal alone, then order, exclusions and explanations."""

from __future__ import annotations

import pytest

from portal.performance.enums import BerAkhlak
from training.enums import CourseForm, CourseMode, ReasonCode
from training.recommend import (
    BehaviourGap,
    Catalogue,
    CatalogueCourse,
    EmployeeSignals,
    IndicatorGap,
    PeerStat,
    mentions,
    rank,
)

KOLABORATIF = BerAkhlak.KOLABORATIF
PELAYANAN = BerAkhlak.BERORIENTASI_PELAYANAN

TEAMWORK = CatalogueCourse(
    id=1,
    title="Kerja Sama Tim ASN",
    mode=CourseMode.KLASIKAL,
    form=CourseForm.WORKSHOP,
    jp_hours=8,
    berakhlak=frozenset({KOLABORATIF, BerAkhlak.HARMONIS}),
)
SERVICE = CatalogueCourse(
    id=2,
    title="Pelayanan Prima",
    mode=CourseMode.KLASIKAL,
    form=CourseForm.DIKLAT,
    jp_hours=24,
    berakhlak=frozenset({PELAYANAN}),
    competencies={"MAN-LAYANAN": frozenset({"pelayanan"})},
)
IMMUNISATION = CatalogueCourse(
    id=3,
    title="Teknis Imunisasi",
    mode=CourseMode.KLASIKAL,
    form=CourseForm.BIMTEK,
    jp_hours=16,
    competencies={"TEK-IMUN": frozenset({"imunisasi", "vaksin"})},
    teknis=frozenset({"TEK-IMUN"}),
)
COACHING = CatalogueCourse(
    id=4,
    title="Coaching for Performance",
    mode=CourseMode.NONKLASIKAL,
    form=CourseForm.COACHING,
    jp_hours=6,
)
EXCEL = CatalogueCourse(
    id=5,
    title="Excel untuk ASN",
    mode=CourseMode.NONKLASIKAL,
    form=CourseForm.E_LEARNING,
    jp_hours=4,
)
ALL = [TEAMWORK, SERVICE, IMMUNISATION, COACHING, EXCEL]
DONE_JP = {"jp_completed": 20}  # no JP shortfall, so other signals show alone

VACCINE_GAP = IndicatorGap(
    label="dosis vaksin",
    text="Jumlah dosis vaksin yang diberikan dosis vaksin",
    progress=0.27,
    expected=0.5,
    context="Terlaksananya pelayanan imunisasi",
)


def _codes(recs: list, course_id: int) -> list[ReasonCode]:
    rec = next(r for r in recs if r.course_id == course_id)
    return [reason.code for reason in rec.reasons]


def _ids(recs: list) -> list[int]:
    return [r.course_id for r in recs]


# --- each signal alone ---------------------------------------------------------------------


def test_no_signal_recommends_nothing() -> None:
    assert rank(EmployeeSignals(employee_id=1, **DONE_JP), Catalogue(ALL)) == []


def test_behaviour_gap_alone_points_to_courses_of_that_value() -> None:
    signals = EmployeeSignals(
        employee_id=1,
        behaviour_gaps=(BehaviourGap(KOLABORATIF, "Triwulan II 2026"),),
        **DONE_JP,
    )
    recs = rank(signals, Catalogue(ALL))
    assert _ids(recs) == [TEAMWORK.id]
    (reason,) = recs[0].reasons
    assert reason.code is ReasonCode.BEHAVIOUR_GAP
    assert (
        reason.explanation
        == "Perilaku Kolaboratif dinilai di bawah ekspektasi pada Triwulan II 2026"
    )
    assert recs[0].score == pytest.approx(3.0)


def test_overall_behaviour_gap_matches_any_berakhlak_course_and_quotes_the_note() -> None:
    gap = BehaviourGap(
        None, "Triwulan I 2026", notes={PELAYANAN: "Sering terlambat melayani warga."}
    )
    recs = rank(EmployeeSignals(employee_id=1, behaviour_gaps=(gap,), **DONE_JP), Catalogue(ALL))
    assert sorted(_ids(recs)) == [TEAMWORK.id, SERVICE.id]
    service = next(r for r in recs if r.course_id == SERVICE.id)
    assert service.reasons[0].explanation == (
        "Perilaku kerja dinilai di bawah ekspektasi pada Triwulan I 2026 "
        "(catatan Berorientasi Pelayanan: Sering terlambat melayani warga.)"
    )
    teamwork = next(r for r in recs if r.course_id == TEAMWORK.id)
    assert "catatan" not in teamwork.reasons[0].explanation
    assert service.score == pytest.approx(1.5)


def test_indicator_gap_alone_recommends_only_courses_serving_the_competency_it_needs() -> None:
    signals = EmployeeSignals(employee_id=1, indicator_gaps=(VACCINE_GAP,), **DONE_JP)
    recs = rank(signals, Catalogue(ALL))
    # the indicator mentions "vaksin" (TEK-IMUN); its RHK's "pelayanan imunisasi" is not read,
    # so the service course is not tied to the gap
    assert _ids(recs) == [IMMUNISATION.id]
    assert recs[0].reasons[0].explanation == "Target dosis vaksin tercapai 27 % (seharusnya 50 %)"
    assert recs[0].score == pytest.approx(2.5 * (1 - 0.27 / 0.5))


def test_a_known_profile_keeps_only_courses_whose_competencies_it_holds() -> None:
    tax = CatalogueCourse(
        id=20,
        title="Pelayanan Wajib Pajak Berbasis Elektronik",
        mode=CourseMode.NONKLASIKAL,
        form=CourseForm.E_LEARNING,
        jp_hours=8,
        competencies={"TEK-PAJAK": frozenset({"pajak"}), "MAN-LAYANAN": frozenset({"pelayanan"})},
        teknis=frozenset({"TEK-PAJAK"}),
    )
    english = CatalogueCourse(
        id=21,
        title="English for Public Service",
        mode=CourseMode.NONKLASIKAL,
        form=CourseForm.E_LEARNING,
        jp_hours=16,
        competencies={"SK-BAHASA": frozenset(), "MAN-LAYANAN": frozenset({"pelayanan"})},
        teknis=frozenset({"SK-BAHASA"}),
    )
    vaccinator = EmployeeSignals(
        employee_id=1,
        jabatan_name="Perawat Terampil",
        profile=frozenset({"TEK-PASIEN", "MAN-LAYANAN"}),  # TEK-IMUN: the gap adds it
        indicator_gaps=(VACCINE_GAP,),
        jp_completed=4,
    )
    recs = rank(vaccinator, Catalogue([*ALL, tax, english]))
    # the JP shortfall alone would offer everything; the profile keeps the vaccine course
    # (needed by the lagging indicator), the manajerial ones, and no tax or English course
    assert IMMUNISATION.id in _ids(recs)
    assert not {tax.id, english.id} & set(_ids(recs))
    assert rank(vaccinator, Catalogue([tax, english])) == []


def test_jp_shortfall_alone_prefers_courses_closing_more_of_the_gap() -> None:
    signals = EmployeeSignals(employee_id=1, jp_completed=6, jp_planned=4)
    recs = rank(signals, Catalogue(ALL))
    # unplanned gap is 10: SERVICE (24) and IMMUNISATION (16) close it all, then 8, 6, 4
    assert _ids(recs) == [SERVICE.id, IMMUNISATION.id, TEAMWORK.id, COACHING.id, EXCEL.id]
    assert recs[0].score == recs[1].score == pytest.approx(1.5)
    assert recs[-1].reasons[0].explanation == (
        "JP tahun ini baru 6 dari 20 (4 JP sudah direncanakan); pelatihan ini menambah 4 JP"
    )


def test_no_jp_reason_once_the_plan_covers_twenty() -> None:
    assert rank(EmployeeSignals(employee_id=1, jp_completed=6, jp_planned=14), Catalogue(ALL)) == []


def test_mentoring_alert_alone_points_to_coaching_and_mentoring() -> None:
    mentoring = CatalogueCourse(
        id=6, title="Mentoring", mode=CourseMode.NONKLASIKAL, form=CourseForm.MENTORING, jp_hours=4
    )
    signals = EmployeeSignals(employee_id=1, mentoring_alert=True, **DONE_JP)
    recs = rank(signals, Catalogue([*ALL, mentoring]))
    assert sorted(_ids(recs)) == [COACHING.id, 6]
    assert recs[0].reasons[0].code is ReasonCode.MENTORING_ALERT
    assert "pendampingan" in recs[0].reasons[0].explanation


def test_peer_popularity_alone_needs_two_peers_and_a_good_rating() -> None:
    peers = {
        EXCEL.id: PeerStat(completions=4, average_rating=4.5),
        COACHING.id: PeerStat(completions=1, average_rating=5.0),  # one peer is not enough
        TEAMWORK.id: PeerStat(completions=6, average_rating=3.2),  # rated poorly
        SERVICE.id: PeerStat(completions=3, average_rating=None),  # not rated: counts as 4
    }
    signals = EmployeeSignals(
        employee_id=1, jabatan_name="Perawat Terampil", peers=peers, **DONE_JP
    )
    recs = rank(signals, Catalogue(ALL))
    assert _ids(recs) == [EXCEL.id, SERVICE.id]
    assert recs[0].reasons[0].explanation == (
        "Diselesaikan 4 rekan sejabatan (Perawat Terampil) dengan rating rata-rata 4,5"
    )
    assert recs[0].score == pytest.approx(1.0 * 4 / 5 * 4.5 / 5)


# --- ranking ---------------------------------------------------------------------------------


def test_signals_add_up_and_reasons_are_ordered_strongest_first() -> None:
    signals = EmployeeSignals(
        employee_id=1,
        behaviour_gaps=(BehaviourGap(PELAYANAN, "Triwulan II 2026"),),
        indicator_gaps=(VACCINE_GAP,),
        jp_completed=6,
    )
    recs = rank(signals, Catalogue(ALL))
    assert recs[0].course_id == SERVICE.id
    assert _codes(recs, SERVICE.id) == [ReasonCode.BEHAVIOUR_GAP, ReasonCode.JP_SHORTFALL]
    assert recs[0].score == pytest.approx(3.0 + 1.5)
    assert [r.explanation for r in recs[0].reasons][1] == (
        "JP tahun ini baru 6 dari 20; pelatihan ini menambah 24 JP"
    )
    assert [r.score for r in recs] == sorted((r.score for r in recs), reverse=True)


def test_ratings_scale_the_score_with_shrinkage() -> None:
    loved = CatalogueCourse(
        id=10, title="A", mode=CourseMode.NONKLASIKAL, form=CourseForm.E_LEARNING, jp_hours=4,
        rating_average=5.0, rating_count=30,
    )  # fmt: skip
    disliked = CatalogueCourse(
        id=11, title="B", mode=CourseMode.NONKLASIKAL, form=CourseForm.E_LEARNING, jp_hours=4,
        rating_average=2.0, rating_count=30,
    )  # fmt: skip
    single = CatalogueCourse(
        id=12, title="C", mode=CourseMode.NONKLASIKAL, form=CourseForm.E_LEARNING, jp_hours=4,
        rating_average=5.0, rating_count=1,
    )  # fmt: skip
    recs = rank(
        EmployeeSignals(employee_id=1, jp_completed=10), Catalogue([disliked, single, loved])
    )
    assert _ids(recs) == [10, 12, 11]
    assert loved.quality == pytest.approx(1 + 0.1 * ((150 + 12) / 33 - 4))
    assert single.quality == pytest.approx(1.025)
    assert 0.7 <= disliked.quality < 1.0


def test_ties_go_to_the_lower_course_id() -> None:
    a = CatalogueCourse(
        id=8, title="A", mode=CourseMode.KLASIKAL, form=CourseForm.DIKLAT, jp_hours=20
    )
    b = CatalogueCourse(
        id=7, title="B", mode=CourseMode.KLASIKAL, form=CourseForm.DIKLAT, jp_hours=20
    )
    assert _ids(rank(EmployeeSignals(employee_id=1), Catalogue([a, b]))) == [7, 8]


def test_limit_cuts_the_list() -> None:
    signals = EmployeeSignals(employee_id=1)
    assert len(rank(signals, Catalogue(ALL), limit=2)) == 2
    assert rank(signals, Catalogue(ALL), limit=0) == []


# --- exclusions ----------------------------------------------------------------------------


def test_completed_or_assigned_courses_are_excluded() -> None:
    signals = EmployeeSignals(employee_id=1, taken_course_ids=frozenset({SERVICE.id, EXCEL.id}))
    assert set(_ids(rank(signals, Catalogue(ALL)))) == {TEAMWORK.id, IMMUNISATION.id, COACHING.id}


def test_dismissed_courses_are_excluded() -> None:
    signals = EmployeeSignals(
        employee_id=1,
        behaviour_gaps=(BehaviourGap(KOLABORATIF, "Triwulan II 2026"),),
        dismissed_course_ids=frozenset({TEAMWORK.id}),
        **DONE_JP,
    )
    assert rank(signals, Catalogue(ALL)) == []


def test_full_and_closed_courses_are_excluded() -> None:
    full = CatalogueCourse(
        id=20, title="Full", mode=CourseMode.KLASIKAL, form=CourseForm.DIKLAT, jp_hours=20,
        seats_left=0,
    )  # fmt: skip
    closed = CatalogueCourse(
        id=21, title="Closed", mode=CourseMode.KLASIKAL, form=CourseForm.DIKLAT, jp_hours=20,
        open_for_enrolment=False,
    )  # fmt: skip
    last_seat = CatalogueCourse(
        id=22, title="Last seat", mode=CourseMode.KLASIKAL, form=CourseForm.DIKLAT, jp_hours=20,
        seats_left=1,
    )  # fmt: skip
    catalogue = Catalogue([full, closed, last_seat])
    assert [c.id for c in catalogue.courses] == [22]
    assert _ids(rank(EmployeeSignals(employee_id=1), catalogue)) == [22]


# --- theme matching ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "theme", "expected"),
    [
        ("Jumlah dosis vaksin yang diberikan", "vaksin", True),
        ("Vaksinasi lanjutan", "vaksin", True),  # word start, any case
        ("Revaksin", "vaksin", False),  # not inside a word
        ("Pelayanan imunisasi", "imunisasi", True),
        ("Pelayanan perizinan", "izin", False),
        ("Berkas perizinan", "perizinan", True),
        ("anything", "", False),
    ],
)
def test_mentions(text: str, theme: str, expected: bool) -> None:
    assert mentions(text, theme) is expected
