package dev.tally.topology.usage;

import dev.tally.schemas.usage.Enforcement;
import dev.tally.schemas.usage.Period;

/** A limit as set directly on one scope and feature ({@code PUT .../limits/{feature}}). */
public record LimitSpec(long limit, Period period, Enforcement enforcement) {
}
