package dev.tally.launcher.audit;

/** A usage decision that other limits would change: where it is, what it was about, and both codes. */
public record WhatIfChange(String position, String requestId, String workspace, String scope, String feature,
                           long amount, String was, String wouldBe) {

    @Override
    public String toString() {
        return position + " " + requestId + ": " + workspace + " " + feature + " (" + scope + ") amount " + amount
                + ": " + was + " -> " + wouldBe;
    }
}
