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
 * <p>The router's loop, in short:
 *
 * <pre>{@code
 * StreamDelivery delivery = StreamDelivery.to(handler, ticker);
 * // for each attempt (route chosen as for send):
 * Consumer<StreamEvent> down = continuation == null ? delivery::deliver
 *     : continuation.stitch(delivery::deliver);
 * StreamGate gate = StreamGate.builder(ticker, scheduler).timeouts(t).deadline(deadline)
 *     .downstream(down).observer(observer).build();
 * delivery.attach(gate);
 * gate.start(l -> transport.stream(key, request, options, l));
 * // observer.onOutcome(o):
 * //   COMPLETE                      -> delivery.complete(continuation != null)
 * //   CANCELLED, HANDLER_FAILED     -> delivery.fail(o.cause()) (no-op after a caller cancel)
 * //   !delivery.hasContent()        -> classify, next route (invisible failover)
 * //   continue enabled && Continuation.isPossible(original, delivery)
 * //                                 -> continuation = Continuation.of(original, delivery); next route
 * //   otherwise                     -> delivery.interrupt(o)
 * }</pre>
 *
 * <p>Budgets: settle from {@link dev.switchboard.stream.StreamGate.Observer#onUsage} increments as
 * they arrive; on any outcome other than {@code COMPLETE} release what the reservation did not use
 * ({@link dev.switchboard.stream.StreamOutcome#usage()} is what was reported). Statistics for the
 * listener: {@link dev.switchboard.stream.StreamDelivery#stats()}.
 */
package dev.switchboard.stream;
