/**
 * Idle rules for the UI's timers: officer mode locks after `officer.idleLockSeconds` without a
 * touch, and applicant mode clears back to the start after `applicantIdleResetSeconds`, so the
 * next person never sees the last one's data. Both are the same rule with a different limit.
 */

/**
 * True once `idleSeconds` have passed since the last touch. A clock that went backwards also
 * counts as expired: locking once too often costs a PIN, a session that never ends costs more.
 */
export function idleExpired(lastActivityMs: number, nowMs: number, idleSeconds: number): boolean {
  const idleMs = nowMs - lastActivityMs;
  return idleMs < 0 || idleMs >= idleSeconds * 1000;
}

/** How long the UI's timer should wait before checking again (0 when already expired). */
export function msUntilIdle(lastActivityMs: number, nowMs: number, idleSeconds: number): number {
  if (idleExpired(lastActivityMs, nowMs, idleSeconds)) return 0;
  return lastActivityMs + idleSeconds * 1000 - nowMs;
}
