import { describe, expect, it } from 'vitest';
import { createMemoryKioskPolicy } from '../adapters/db/memory-outbox';
import { refreshKioskPolicy } from './kiosk-policy';
import type { TransportResult } from './ports';

const answering = (result: TransportResult) => ({ fetchPolicy: async () => result });
const response = (status: number, body: unknown): TransportResult => ({ kind: 'response', status, body });

describe('refreshKioskPolicy', () => {
  it('remembers the minimum version the server asks for', async () => {
    const policy = createMemoryKioskPolicy();
    const result = await refreshKioskPolicy({
      transport: answering(response(200, { minimumKioskVersion: '1.3.0' })),
      policy,
    });
    expect(result).toEqual({ kind: 'heard', minimumKioskVersion: '1.3.0' });
    expect(await policy.minimumKioskVersion()).toBe('1.3.0');
  });

  it('forgets the minimum when the server no longer sets one', async () => {
    const policy = createMemoryKioskPolicy('1.3.0');
    await refreshKioskPolicy({ transport: answering(response(200, { minimumKioskVersion: null })), policy });
    expect(await policy.minimumKioskVersion()).toBeNull();
  });

  it.each<[string, TransportResult]>([
    ['offline', { kind: 'network-error', message: 'Failed to fetch' }],
    ['an older server without the route', response(404, { error: { code: 'not-found', message: 'x' } })],
    ['a server error', response(500, null)],
    ['a version that is not x.y.z', response(200, { minimumKioskVersion: 'latest' })],
    ['an unreadable body', response(200, 'OK')],
  ])('keeps the last minimum heard when the answer is %s', async (_, answer) => {
    const policy = createMemoryKioskPolicy('1.3.0');
    expect(await refreshKioskPolicy({ transport: answering(answer), policy })).toEqual({
      kind: 'unavailable',
    });
    expect(await policy.minimumKioskVersion()).toBe('1.3.0');
  });
});
