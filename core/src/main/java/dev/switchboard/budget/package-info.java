/**
 * Budget bookkeeping on top of the state SPI's {@link dev.switchboard.spi.BudgetStore}:
 * {@link dev.switchboard.budget.PoolLimits} (configured limits, replaced by what the
 * {@code *-limit} headers say), {@link dev.switchboard.budget.ModelPools} (which models share a
 * rate-limit pool) and {@link dev.switchboard.budget.HeuristicTokenEstimator}.
 */
package dev.switchboard.budget;
