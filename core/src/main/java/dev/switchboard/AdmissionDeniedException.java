package dev.switchboard;

import dev.switchboard.admission.AdmissionRejectedException;
import dev.switchboard.admission.Priority;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The router's admission control did not admit the call: its queue was full (or the call was
 * displaced by one of higher priority or of a tenant holding less of the queue), its deadline could
 * not be met while waiting, its tenant's token or spend budget cannot cover it in time, or the
 * router is closing. {@link #reason()} says which; no attempt was made.
 */
public final class AdmissionDeniedException extends SwitchboardException {
  private static final long serialVersionUID = 1L;

  private final AdmissionRejectedException.Reason reason;
  private final String tenant;
  private final Priority priority;
  private final Duration retryAfter;

  AdmissionDeniedException(AdmissionRejectedException cause) {
    super(cause.getMessage(), List.of());
    this.reason = cause.reason();
    this.tenant = cause.tenant();
    this.priority = cause.priority();
    this.retryAfter = cause.retryAfter().orElse(null);
  }

  /** Returns why the call was not admitted. */
  public AdmissionRejectedException.Reason reason() {
    return reason;
  }

  /** Returns the tenant of the call. */
  public String tenant() {
    return tenant;
  }

  /** Returns the call's priority class. */
  public Priority priority() {
    return priority;
  }

  /** Returns when the tenant's budget would admit the call, when that is known. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
