/**
 * Streaming through the router, token by token: start at {@link
 * dev.switchboard.examples.streaming.StreamingExample} (the four scenes and the router), then
 * {@code PrintingHandler} (the caller's side of a stream).
 */
package dev.switchboard.examples.streaming;
