/**
 * Admission control in front of the router: a concurrency limit, a bounded queue ordered by
 * priority class and weighted fair share between tenants, and per-tenant token and spend budgets,
 * all decided at one point.
 *
 * <p>Start with {@link dev.switchboard.admission.AdmissionController}: build one, then for each call
 * {@link dev.switchboard.admission.AdmissionController#acquire acquire} a
 * {@link dev.switchboard.admission.Permit} for an {@link dev.switchboard.admission.AdmissionRequest}
 * and release it exactly once when the call ends. A call that cannot be admitted fails with an
 * {@link dev.switchboard.admission.AdmissionRejectedException} whose reason says why. Tenants are
 * configured with {@link dev.switchboard.admission.TenantPolicy}; timed wake-ups run on a
 * {@link dev.switchboard.schedule.Scheduler}, which tests replace by a fake driven by a fake ticker.
 */
package dev.switchboard.admission;
