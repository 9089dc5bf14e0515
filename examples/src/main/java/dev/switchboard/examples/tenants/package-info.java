/**
 * A multi-tenant service on one router — per-user breakers, weighted fair share with priorities,
 * and a tenant-scoped response cache: start at {@link
 * dev.switchboard.examples.tenants.TenantsExample}.
 */
package dev.switchboard.examples.tenants;
