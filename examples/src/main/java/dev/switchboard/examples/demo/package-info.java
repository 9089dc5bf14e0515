/**
 * The demo a newcomer runs first: start reading at {@link dev.switchboard.examples.demo.Demo}
 * (the command line), then {@code Scenario} (the simulated world and its fault script),
 * {@code Workload} (the tenants and their calls), {@code RouterClient} (how the calls go through
 * Switchboard) and {@code NaiveLoop} (the tutorials' retry loop it is compared with).
 * {@code Driver} replays the workload in real time, {@code TallyListener} turns router events into
 * the per key × model table, and {@code Report} prints the tables and the {@code SUMMARY} line.
 */
package dev.switchboard.examples.demo;
