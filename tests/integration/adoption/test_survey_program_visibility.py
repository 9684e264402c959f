"""A survey is public, the program it belongs to is not.

``Survey.program`` used to load the program without the program's visibility rule, so any
employee could read the name, goal and target OPDs of a program they were never invited to by
listing surveys. It now follows the same rule as ``node(id:)`` and ``programs``: managers and
BKPSDM, admins of a targeted OPD, and employees invited to one of its sessions.
"""

from __future__ import annotations

import pytest

from portal.adoption.tables import Invitation
from portal.core.ids import decode_id_of
from support.adoption_world import World, build_world, program_with_session, today_iso
from support.api import Api
from support.factories import Factory

SEES_PROGRAM = {"manager", "bkpsdm", "admin_dinkes", "perawat1"}


@pytest.mark.parametrize(
    "viewer", sorted(SEES_PROGRAM | {"perawat2", "kapus", "bapenda1", "admin_bapenda"})
)
async def test_survey_shows_its_program_only_to_who_may_see_the_program(
    api: Api, factory: Factory, viewer: str
) -> None:
    # given a DINKES program whose session invites only perawat1, and a survey of the program
    world: World = await build_world(api, factory)
    program, session = await program_with_session(world)
    await Invitation.insert(
        Invitation(session=decode_id_of(session, "Session"), employee=world.people["perawat1"].id)
    )
    await world.mutate(
        "CreateSurvey",
        {
            "title": "Survei denyut",
            "opensOn": today_iso(-1),
            "closesOn": today_iso(7),
            "programId": program,
        },
        "manager",
    )

    # when the viewer lists the surveys
    surveys = (await world.data("Surveys", {"first": 10}, viewer))["surveys"]["edges"]

    # then the survey is listed for everyone, its program only for those who may see it
    (edge,) = surveys
    assert edge["node"]["title"] == "Survei denyut"
    shown = edge["node"]["program"]
    assert (shown is not None) == (viewer in SEES_PROGRAM), shown
    if shown is not None:
        assert shown["id"] == program
