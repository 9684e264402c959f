"""A family of generative variants of :mod:`ml.synth`, for generalisation as the design target.

One generator tunes a model to its own quirks. :class:`Variant` changes the generative
process of :func:`ml.synth.generate` along the ways real cities differ: the calendar (days off
the feature calendar does not know, Saturday work), leave and sick days, reorganised units,
the shape of struggle (abrupt, gradual, *quiet*: barely visible in the logs), logging habits
(weekly batch logging, slow loggers) and verification delays, and the label definition (its
horizon and the spacing of reference dates).

:data:`VARIANTS` names the family. It is split once, before any model choice, into
:data:`DESIGN` variants (the only ones any choice -- features, model, blend weight -- may
look at) and :data:`HELD_OUT` variants (never used for a choice; ``bench/ml_variants.py``
reports them, and their worst case is the number in ``bench/RESULTS.md``). The held-out ones
combine the knobs differently from the design ones, and some knobs are pushed further there.

The default ``Variant()`` is the original process (``generate`` without a variant gives the
same frames as before). Draws that only a variant needs come from their own generator seeded
by ``(seed, 2)``, so the base stream is unchanged.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Final


@dataclass(frozen=True, slots=True)
class Variant:
    """Knobs of the generative process (defaults: the original :mod:`ml.synth` world).

    Attributes
    ----------
    name : str
        Short name.
    episode_scale : float
        Multiplier on the episode rate.
    abrupt_share : float
        Share of episodes reaching full severity within 1-5 days.
    gradual_ramp_days : tuple of int
        Range of the linear ramp of the other episodes.
    duration_days : tuple of int
        Range of episode durations.
    quiet_share : float
        Share of episodes that barely show in the logs (every channel x ``quiet_factor``):
        the need is real (the label is 1) but the logging hardly changes.
    quiet_factor : float
        Intensity left to a quiet episode.
    channel_probs : tuple of float or None
        Probabilities of the main channel (withdrawal, output, delay, quality); uniform when
        ``None``.
    leave_probs : tuple of float
        Probabilities of 0, 1 or 2 annual-leave blocks per employee.
    leave_block_days : tuple of int
        Length range of an annual-leave block.
    long_leave_rate : float
        Sick leave / cuti besar (15-40 days) per employee-year.
    sick_days_rate : float
        Short sick absences (1-3 days, no logging) per employee-year: scattered silent days
        that are not struggle.
    collective_leave_days : int
        Days off for everyone per year that the feature calendar treats as working days
        (cuti bersama, local holidays), in blocks of 1-5 days.
    saturday_share : float
        Share of OPDs that also work (and log) on Saturdays.
    reorganised_opds : int or None
        OPDs whose logging dips (``None``: the ``generate`` argument).
    reorg_days : int
        Length of a reorganisation dip.
    reorg_factor : float
        Logging probability factor during the dip.
    batch_logging_share : float
        Share of employees who log their week in one go on Friday (or the next working day
        after a late activity): large, regular latencies that are habit, not struggle.
    delay_scale : float
        Multiplier on every employee's usual logging delay.
    verify_days : float
        Mean days until the supervisor decides (verification delay).
    logging_beta : tuple of float
        Beta parameters of the base probability of logging on a working day.
    horizon_weeks : int or None
        Label horizon (``None``: the ``generate`` argument).
    label_every_weeks : int or None
        Spacing of reference dates (``None``: the ``generate`` argument).
    """

    name: str = "base"
    episode_scale: float = 1.0
    abrupt_share: float = 0.4
    gradual_ramp_days: tuple[int, int] = (21, 56)
    duration_days: tuple[int, int] = (28, 140)
    quiet_share: float = 0.0
    quiet_factor: float = 0.2
    channel_probs: tuple[float, float, float, float] | None = None
    leave_probs: tuple[float, float, float] = (0.25, 0.5, 0.25)
    leave_block_days: tuple[int, int] = (3, 12)
    long_leave_rate: float = 0.04
    sick_days_rate: float = 0.0
    collective_leave_days: int = 0
    saturday_share: float = 0.0
    reorganised_opds: int | None = None
    reorg_days: int = 14
    reorg_factor: float = 0.35
    batch_logging_share: float = 0.0
    delay_scale: float = 1.0
    verify_days: float = 2.0
    logging_beta: tuple[float, float] = (8.0, 2.0)
    horizon_weeks: int | None = None
    label_every_weeks: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-able knobs.

        Returns
        -------
        dict
            Field name to value.
        """
        return asdict(self)

    @property
    def needs_extra_draws(self) -> bool:
        """Whether any knob needs the variant's own generator."""
        return bool(
            self.quiet_share
            or self.sick_days_rate
            or self.collective_leave_days
            or self.saturday_share
            or self.batch_logging_share
        )


BASE: Final = Variant()

DESIGN: Final[tuple[Variant, ...]] = (
    BASE,
    Variant(
        name="holidays-and-sick-days",
        collective_leave_days=8,
        sick_days_rate=4.0,
        leave_probs=(0.1, 0.5, 0.4),
    ),
    Variant(
        name="abrupt-struggle-monthly-labels",
        abrupt_share=0.8,
        duration_days=(21, 90),
        label_every_weeks=4,
    ),
    Variant(
        name="gradual-quiet-struggle",
        abrupt_share=0.1,
        gradual_ramp_days=(35, 84),
        quiet_share=0.3,
    ),
    Variant(
        name="batch-loggers-slow-verification",
        batch_logging_share=0.35,
        verify_days=6.0,
        delay_scale=1.5,
    ),
    Variant(
        name="reorganised-units-short-horizon", reorganised_opds=4, reorg_days=30, horizon_weeks=4
    ),
)
"""Variants any design choice may be made on."""

HELD_OUT: Final[tuple[Variant, ...]] = (
    Variant(
        name="h-saturday-work-long-horizon",
        saturday_share=0.3,
        collective_leave_days=5,
        horizon_weeks=12,
        label_every_weeks=4,
    ),
    Variant(
        name="h-quiet-withdrawal",
        quiet_share=0.45,
        channel_probs=(0.55, 0.15, 0.15, 0.15),
        sick_days_rate=6.0,
    ),
    Variant(
        name="h-reorg-batch-logging",
        reorganised_opds=6,
        reorg_days=45,
        reorg_factor=0.5,
        batch_logging_share=0.5,
        verify_days=4.0,
    ),
    Variant(
        name="h-irregular-loggers-abrupt",
        logging_beta=(3.0, 2.0),
        abrupt_share=0.7,
        episode_scale=1.5,
        long_leave_rate=0.1,
    ),
    Variant(
        name="h-output-quality-gradual",
        channel_probs=(0.1, 0.45, 0.1, 0.35),
        abrupt_share=0.2,
        gradual_ramp_days=(42, 98),
        leave_block_days=(5, 20),
        horizon_weeks=6,
    ),
)
"""Variants never used for a choice: only reported."""

VARIANTS: Final[dict[str, Variant]] = {v.name: v for v in (*DESIGN, *HELD_OUT)}
"""Every variant by name."""
