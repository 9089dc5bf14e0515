/**
 * Test tools for Switchboard and its users: a local simulator of the Anthropic Messages API and a
 * fake ticker.
 *
 * <p>Start with {@link dev.switchboard.testkit.Simulator}: {@code Simulator.withDefaults()} or
 * {@code Simulator.builder()...start()} gives a real HTTP server on 127.0.0.1 with per-organization
 * token-bucket rate limits and the real headers, key states, validation, prompt caching and SSE
 * streams. Inject misbehaviour at run time with {@link dev.switchboard.testkit.Fault} through
 * {@link dev.switchboard.testkit.Faults}, and assert on the
 * {@link dev.switchboard.testkit.RecordedCall}s of the request log. Drive time-dependent rules
 * (bucket refill, cache expiry) with {@link dev.switchboard.testkit.FakeTicker} instead of sleeping.
 */
package dev.switchboard.testkit;
