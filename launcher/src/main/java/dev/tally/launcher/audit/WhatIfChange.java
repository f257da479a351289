package dev.tally.launcher.audit;

/**
 * A decision that other limits or capacities would change: where it is, its request, what it was about
 * ({@code acme ai.tokens (workspace) amount 3}, {@code room-1 book 2026-12-01T09:00:00Z..2026-12-01T10:00:00Z
 * quantity 1}), and both codes.
 */
public record WhatIfChange(String position, String requestId, String subject, String was, String wouldBe) {

    @Override
    public String toString() {
        return position + " " + requestId + ": " + subject + ": " + was + " -> " + wouldBe;
    }
}
