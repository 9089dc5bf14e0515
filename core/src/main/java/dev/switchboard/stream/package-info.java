/**
 * Streaming building blocks: resilient SSE streams whose failover is invisible to the caller.
 *
 * <p>Start with {@link dev.switchboard.stream.StreamGate}: the listener for one streaming attempt.
 * It buffers events until the first content delta (so an attempt that fails before content can be
 * retried on another key or model without the caller noticing), runs the first-byte, first-token
 * and idle watchdogs ({@link dev.switchboard.stream.StreamTimeouts}) on the injected ticker and
 * scheduler, reports usage as it arrives, and reports one
 * {@link dev.switchboard.stream.StreamOutcome}.
 *
 * <p>{@link dev.switchboard.stream.StreamDelivery} is the caller's end of a routed stream: it feeds
 * the {@link dev.switchboard.stream.StreamHandler}, remembers what the caller saw, measures
 * {@link dev.switchboard.stream.StreamStats} and guarantees exactly one terminal call.
 * {@link dev.switchboard.stream.Continuation} optionally finishes an interrupted answer on another
 * route; {@link dev.switchboard.stream.StreamAssembler} turns events into a message.
 *
 * <p>{@code Switchboard.stream(request, options, handler)} uses them in its call loop (see
 * {@code docs/architecture.md}, "Streaming"): one gate per attempt, started outside the call's
 * lock; an outcome before content is an ordinary failed attempt (invisible failover), one after
 * content ends the call with a {@link dev.switchboard.stream.StreamInterruptedException} or, with
 * continuation on, sends {@link dev.switchboard.stream.Continuation#request()} to the next route and
 * stitches its events into the same delivery. Budgets follow
 * {@link dev.switchboard.stream.StreamGate.Observer#onUsage}; statistics come from
 * {@link dev.switchboard.stream.StreamDelivery#stats()}.
 */
package dev.switchboard.stream;
