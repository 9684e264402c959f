"""A vocabulary's member is its name as a string, and carries its description and label."""

from __future__ import annotations

import pickle
from enum import auto

import pytest

from portal.core.vocabulary import Vocabulary
from portal.performance.enums import Predikat, SkpStatus


class Light(Vocabulary):
    """A vocabulary of the test."""

    GREEN = auto(), "Go.", "Hijau"
    RED = auto(), "Stop.", "Merah"


def test_a_member_is_its_name_as_stored_and_spelled_in_the_api() -> None:
    assert Light.GREEN == "GREEN"
    assert Light.GREEN.value == "GREEN"
    assert f"{Light.RED}" == "RED"
    assert Light("RED") is Light.RED
    assert pickle.loads(pickle.dumps(Light.RED)) is Light.RED  # noqa: S301 - our own bytes
    assert list(Light) == [Light.GREEN, Light.RED]


def test_a_member_carries_its_description_and_label() -> None:
    assert (Light.RED.description, Light.RED.label) == ("Stop.", "Merah")
    assert (SkpStatus.APPROVED.description, SkpStatus.APPROVED.label) == (
        "Approved by the supervisor.",
        "Disetujui",
    )


def test_a_value_has_one_label_for_screens_and_documents() -> None:
    # the official documents' title case is the label every screen shows too
    assert Predikat.BUTUH_PERBAIKAN.label == "Butuh Perbaikan"


@pytest.mark.parametrize("meaning", [(), ("Go.",), ("Go.", " ")])
def test_a_member_without_its_description_and_label_fails_at_import(
    meaning: tuple[str, ...],
) -> None:
    with pytest.raises(TypeError, match=r"Unlabelled\.GREEN: give its description"):

        class Unlabelled(Vocabulary):
            GREEN = auto(), *meaning
