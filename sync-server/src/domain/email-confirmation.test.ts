import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../logger';
import {
  confirmationMail,
  hashEmailCode,
  isOfficialEmail,
  newEmailCode,
  scheduleEmailSweep,
} from './email-confirmation';

const KEY = new Uint8Array(32).fill(7);
const APP = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';

describe('official addresses', () => {
  it.each([
    ['siti@madiunkota.go.id', true],
    ['Siti@MadiunKota.go.id', true],
    ['siti@dinkes.madiunkota.go.id', true],
    ['siti@madiunkota.go.id.example.com', false],
    ['siti@notmadiunkota.go.id', false],
    ['siti@gmail.com', false],
  ])('%s → %s', (email, official) => {
    expect(isOfficialEmail(email, ['madiunkota.go.id'])).toBe(official);
  });

  it('takes any address when no domain is configured', () => {
    expect(isOfficialEmail('siti@gmail.com', [])).toBe(true);
  });
});

describe('codes', () => {
  it('are six digits, leading zeros kept', () => {
    for (let n = 0; n < 200; n++) expect(newEmailCode()).toMatch(/^\d{6}$/);
  });

  it('hash under the key, bound to the application and the address (in any case)', () => {
    const hash = hashEmailCode(KEY, APP, 'siti@madiunkota.go.id', '012345');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashEmailCode(KEY, APP, 'SITI@madiunkota.go.id', '012345')).toBe(hash);
    expect(hashEmailCode(KEY, APP, 'budi@madiunkota.go.id', '012345')).not.toBe(hash);
    expect(hashEmailCode(KEY, APP.replace('a1', 'b1'), 'siti@madiunkota.go.id', '012345')).not.toBe(hash);
    expect(hashEmailCode(new Uint8Array(32), APP, 'siti@madiunkota.go.id', '012345')).not.toBe(hash);
    expect(hashEmailCode(KEY, APP, 'siti@madiunkota.go.id', '012346')).not.toBe(hash);
  });
});

describe('the mail', () => {
  const link = `https://sertel.madiunkota.go.id/api/v1/email/confirm?token=${'A'.repeat(43)}`;
  const expiresAt = new Date('2026-11-26T03:30:00.000Z');

  it('with a code: the code on a line of its own, the link, the application number and WIB time, in both languages', () => {
    const mail = confirmationMail({ code: '042042', link, applicationId: APP, expiresAt });
    expect(mail.text).toMatch(/^ {4}042042$/m);
    expect(mail.text).toContain(link);
    expect(mail.text).toContain('SK-M6SC-7N75-YSQ');
    expect(mail.text).toContain('10.30 WIB');
    expect(mail.text).toContain('(English)');
    expect(mail.subject).toContain('Konfirmasi e-mail dinas');
  });

  it('link only: no code line, and it says why the application waits', () => {
    const mail = confirmationMail({ code: null, link, applicationId: APP, expiresAt });
    expect(mail.text).not.toMatch(/^ {4}\d{6}$/m);
    expect(mail.text).toContain('Permohonan baru diteruskan ke BSrE setelah e-mail dinas ini terkonfirmasi');
  });
});

describe('the sweep schedule', () => {
  afterEach(() => vi.useRealTimers());

  /** A sweep that holds each run until released, counting runs and how many ran at once. */
  function heldSweep() {
    const state = { runs: 0, inFlight: 0, maxInFlight: 0, release: () => {} };
    const sweep = async () => {
      state.runs++;
      state.inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      await new Promise<void>((resolve) => {
        state.release = resolve;
      });
      state.inFlight--;
      return { sent: 0, failed: 0 };
    };
    return { state, sweep };
  }

  it('runs once after the start, then only when nudged, one run at a time; stop waits for the run in progress', async () => {
    vi.useFakeTimers();
    const { state, sweep } = heldSweep();
    const schedule = scheduleEmailSweep(
      { sweep },
      { intervalMs: 0, settleMs: 1_000, logger: createLogger('silent') },
    );
    await vi.advanceTimersByTimeAsync(999);
    expect(state.runs).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(state.runs).toBe(1);
    // Nudges during a run make exactly one more run, a settle time after it.
    schedule.soon();
    schedule.soon();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(state.runs).toBe(1);
    state.release();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(state.runs).toBe(2);
    state.release();
    await vi.advanceTimersByTimeAsync(60_000);
    // No interval configured: nothing more without a nudge.
    expect(state.runs).toBe(2);
    expect(state.maxInFlight).toBe(1);

    schedule.soon();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(state.runs).toBe(3);
    let done = false;
    const stopped = schedule.stop().then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toBe(false);
    state.release();
    await stopped;
    schedule.soon();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(state.runs).toBe(3);
  });

  it('waits while batches keep coming, but never longer than the maximum delay', async () => {
    vi.useFakeTimers();
    const { state, sweep } = heldSweep();
    const schedule = scheduleEmailSweep(
      { sweep },
      { intervalMs: 0, settleMs: 2_000, maxDelayMs: 10_000, logger: createLogger('silent') },
    );
    await vi.advanceTimersByTimeAsync(2_000);
    expect(state.runs).toBe(1);
    state.release();
    await vi.advanceTimersByTimeAsync(0);
    // A batch every second: still busy, no run…
    for (let second = 0; second < 9; second++) {
      schedule.soon();
      await vi.advanceTimersByTimeAsync(1_000);
    }
    expect(state.runs).toBe(1);
    // …until ten seconds after the first nudge.
    schedule.soon();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(state.runs).toBe(2);
    state.release();
    // A single batch: a run two seconds later.
    await vi.advanceTimersByTimeAsync(0);
    schedule.soon();
    await vi.advanceTimersByTimeAsync(1_999);
    expect(state.runs).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(state.runs).toBe(3);
    state.release();
    await schedule.stop();
  });

  it('runs every interval, and a failed run is logged and followed by the next', async () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    let runs = 0;
    const schedule = scheduleEmailSweep(
      {
        sweep: async () => {
          runs++;
          if (runs === 1) throw new Error('database away');
          return { sent: 0, failed: 0 };
        },
      },
      {
        intervalMs: 60_000,
        settleMs: 1_000,
        logger: createLogger('info', { write: (line: string) => void lines.push(line) }),
      },
    );
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(1);
    expect(lines.join('')).toContain('e-mail confirmation sweep failed');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(runs).toBe(2);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(runs).toBe(3);
    await schedule.stop();
  });
});
