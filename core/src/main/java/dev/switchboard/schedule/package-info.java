/**
 * Timed wake-ups: {@link dev.switchboard.schedule.Scheduler}, the one scheduling abstraction the
 * router, its stream watchdogs and its admission controller share.
 */
package dev.switchboard.schedule;
