package dev.switchboard.testkit;

/** A simulated model: its id, the rate-limit pool it draws from, its context and output limits. */
record ModelSpec(String id, String pool, long contextWindow, long maxOutputTokens) {}
