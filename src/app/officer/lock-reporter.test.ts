import { describe, expect, it } from 'vitest';
import type { OfficerLockRequest } from '../../protocol/officer';
import type { TransportResult } from '../ports';
import { createLockReporter, type LockReporterDeps } from './lock-reporter';
import type { OfficerProfile } from './ports';

const KIOSK_ID = '0f6d1c4a-2b3e-4d5f-8a9b-0c1d2e3f4a5b';

function locked(officerId: string): OfficerProfile {
  return {
    officerId,
    keyId: crypto.randomUUID(),
    username: 'siti',
    nama: 'SITI',
    nip: null,
    kioskId: KIOSK_ID,
    publicKeySpki: 'x',
    enrolledAt: '2026-11-26T02:00:00.000Z',
    wrongPins: 5,
    lockedAt: '2026-11-26T03:00:00.000Z',
    pendingLockReport: true,
  };
}

/** A store whose pending reports clear once acknowledged, and a server that answers `answer`. */
function setup(answer: TransportResult, online = true) {
  const pending = new Map<string, OfficerProfile>();
  const sent: OfficerLockRequest[] = [];
  let release: () => void = () => {};
  let gate: Promise<void> | null = null;
  const errors: unknown[] = [];
  const deps: LockReporterDeps = {
    keys: {
      pendingLockReports: async () => [...pending.values()],
      clearPendingLockReport: async (officerId) => {
        pending.delete(officerId);
      },
    },
    transport: {
      async reportOfficerLock(request) {
        sent.push(request);
        if (gate) await gate;
        return answer;
      },
    },
    identity: { enrollment: async () => ({ kioskId: KIOSK_ID, name: 'Loket', enrolledAt: '' }) },
    online: () => online,
    onError: (error) => errors.push(error),
  };
  return {
    deps,
    pending,
    sent,
    errors,
    hold() {
      gate = new Promise((resolve) => {
        release = () => {
          gate = null;
          resolve();
        };
      });
    },
    release: () => release(),
  };
}

const OK: TransportResult = { kind: 'response', status: 200, body: {} };

describe('the lock reporter', () => {
  it('reports pending locks when online', async () => {
    const s = setup(OK);
    s.pending.set('a', locked('a'));
    const summary = await createLockReporter(s.deps).report();
    expect(summary?.reported).toEqual(['a']);
    expect(s.pending.size).toBe(0);
  });

  it('tries nothing offline', async () => {
    const s = setup(OK, false);
    s.pending.set('a', locked('a'));
    expect(await createLockReporter(s.deps).report()).toBeNull();
    expect(s.sent).toEqual([]);
    expect(s.pending.size).toBe(1);
  });

  it('a lock during a report is reported by one more pass, not left waiting', async () => {
    const s = setup(OK);
    const reporter = createLockReporter(s.deps);
    s.pending.set('a', locked('a'));
    s.hold();
    const first = reporter.report();
    await new Promise((resolve) => setTimeout(resolve, 0));
    s.pending.set('b', locked('b'));
    const second = reporter.report();
    expect(second).toBe(first);
    s.release();
    await first;
    expect(s.sent.map((r) => r.officerId)).toEqual(['a', 'b']);
    expect(s.pending.size).toBe(0);
  });

  it('a failing store is told to onError and does not reject', async () => {
    const s = setup(OK);
    s.deps.keys.pendingLockReports = async () => {
      throw new Error('database closed');
    };
    expect(await createLockReporter(s.deps).report()).toBeNull();
    expect(s.errors).toHaveLength(1);
  });
});
