package dev.switchboard.admission;

/**
 * The priority class of a call waiting for admission. Classes are served in strict order: a
 * waiter of a lower class is admitted only while no waiter of a higher class can be. Within a class,
 * tenants share admissions by weight (see {@link TenantPolicy#weight()}).
 */
public enum Priority {
  /** A person is waiting on the answer: admitted first. */
  INTERACTIVE,
  /** The default class for ordinary service traffic. */
  STANDARD,
  /** Offline or bulk work: admitted only when no higher class is waiting, and shed first. */
  BATCH
}
