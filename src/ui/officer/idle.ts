import { createEffect, onCleanup } from 'solid-js';
import { idleExpired, msUntilIdle } from '../../core/officer/session';

/** What counts as someone at the kiosk: a touch, a pointer, a key, typing, scrolling. */
const ACTIVITY_EVENTS = ['pointerdown', 'touchstart', 'keydown', 'input', 'wheel'] as const;
/** How often idleness held off by work under way is looked at again. */
const BUSY_RECHECK_MS = 5_000;

export interface IdleWatchOptions {
  /** The limit for the current mode, in seconds; null: no watch. Read reactively. */
  seconds: () => number | null;
  /** Called once the limit passed without activity; not again until the next activity. */
  onIdle: () => void;
  /** Called on every activity, before the idle clock starts over (the officer session's touch). */
  onActivity?: () => void;
  /** Work under way (a key being made, a card being read) holds idleness off, for one more limit at most. */
  busy?: () => boolean;
  now?: () => number;
}

export interface IdleWatch {
  /** Starts the idle clock over, as a touch would (a change of mode). */
  restart(): void;
}

/**
 * The idle rule of core/officer/session.ts over the window's input events. A touch that comes
 * after the limit passed (the timer may be late: a sleeping tablet, a throttled tab) first counts
 * as idle, so a late touch never continues a session that should have ended.
 */
export function createIdleWatch(options: IdleWatchOptions): IdleWatch {
  const now = options.now ?? Date.now;
  let lastActivity = now();
  /** Cleared once idle was reported: nothing to report again until someone comes back. */
  let armed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const schedule = (delayMs?: number) => {
    clearTimeout(timer);
    timer = undefined;
    const seconds = options.seconds();
    if (seconds === null || !armed) return;
    // At least a moment, so that a clock gone backwards cannot spin.
    timer = setTimeout(check, delayMs ?? Math.max(250, msUntilIdle(lastActivity, now(), seconds)));
  };

  /**
   * `idle` once reported; `postponed` while work under way holds it off, for at most one more
   * limit, so that a job that hangs cannot keep an officer session open; null when not idle yet.
   */
  const expire = (): 'idle' | 'postponed' | null => {
    const seconds = options.seconds();
    if (seconds === null || !armed || !idleExpired(lastActivity, now(), seconds)) return null;
    if (options.busy?.() && !idleExpired(lastActivity, now(), 2 * seconds)) return 'postponed';
    armed = false;
    options.onIdle();
    return 'idle';
  };

  function check() {
    timer = undefined;
    if (expire() === 'postponed') schedule(BUSY_RECHECK_MS);
    else schedule();
  }

  const onActivity = () => {
    expire();
    options.onActivity?.();
    lastActivity = now();
    armed = true;
    if (timer === undefined) schedule();
  };

  for (const name of ACTIVITY_EVENTS)
    window.addEventListener(name, onActivity, { capture: true, passive: true });
  onCleanup(() => {
    clearTimeout(timer);
    for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, onActivity, { capture: true });
  });
  // A new limit (another mode) takes effect at once.
  createEffect(() => {
    options.seconds();
    schedule();
  });

  return {
    restart() {
      lastActivity = now();
      armed = true;
      schedule();
    },
  };
}
