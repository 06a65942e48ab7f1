import { describe, expect, it } from 'vitest';
import { createMemoryKioskPolicy } from '../adapters/db/memory-outbox';
import { createMemoryAuditLog } from './audit/memory-audit-log';
import { refreshKioskPolicy } from './kiosk-policy';
import type { TransportResult } from './ports';

const answering = (result: TransportResult) => ({ fetchPolicy: async () => result });
const response = (status: number, body: unknown): TransportResult => ({ kind: 'response', status, body });

const archiveKey = (keyId: string, createdAt: string) => ({
  keyId,
  publicKeySpki: 'B'.repeat(122),
  createdAt,
});

describe('refreshKioskPolicy', () => {
  it('keeps the archive key the server serves, so a kiosk once online may seal', async () => {
    const policy = createMemoryKioskPolicy();
    await refreshKioskPolicy({
      transport: {
        ...answering(response(200, { minimumKioskVersion: null })),
        fetchArchiveKey: async () => response(200, archiveKey('archive-2', '2026-03-01T00:00:00.000Z')),
      },
      policy,
    });
    expect((await policy.archiveKey())?.keyId).toBe('archive-2');
  });

  it.each<[string, TransportResult]>([
    ['offline', { kind: 'network-error', message: 'Failed to fetch' }],
    ['a server without an archive key', response(404, { error: { code: 'not-found', message: 'x' } })],
    ['not a key', response(200, { keyId: 'archive-9', publicKeySpki: 'short', createdAt: 'now' })],
  ])('keeps the archive key it had when the answer is %s', async (_, answer) => {
    const policy = createMemoryKioskPolicy(null, archiveKey('archive-1', '2026-01-01T00:00:00.000Z'));
    const result = await refreshKioskPolicy({
      transport: {
        ...answering(response(200, { minimumKioskVersion: '1.3.0' })),
        fetchArchiveKey: async () => answer,
      },
      policy,
    });
    expect(result).toEqual({ kind: 'heard', minimumKioskVersion: '1.3.0' });
    expect((await policy.archiveKey())?.keyId).toBe('archive-1');
  });

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

describe('refreshKioskPolicy: settings changes in the audit chain', () => {
  it('records a new archive key and a new minimum version once each, and nothing when nothing changed', async () => {
    const policy = createMemoryKioskPolicy(null, archiveKey('archive-1', '2026-01-01T00:00:00.000Z'));
    const audit = createMemoryAuditLog();
    const transport = {
      ...answering(response(200, { minimumKioskVersion: '1.3.0' })),
      fetchArchiveKey: async () => response(200, archiveKey('archive-2', '2026-03-01T00:00:00.000Z')),
    };
    await refreshKioskPolicy({ transport, policy, audit });
    await refreshKioskPolicy({ transport, policy, audit });
    expect(audit.events.map((e) => [e.type, e.detail])).toEqual([
      ['settings-changed', { setting: 'archive-key', from: 'archive-1', to: 'archive-2' }],
      ['settings-changed', { setting: 'minimum-kiosk-version', from: null, to: '1.3.0' }],
    ]);
  });

  it('records nothing for an older archive key the kiosk does not take', async () => {
    const policy = createMemoryKioskPolicy('1.3.0', archiveKey('archive-2', '2026-03-01T00:00:00.000Z'));
    const audit = createMemoryAuditLog();
    await refreshKioskPolicy({
      transport: {
        ...answering(response(200, { minimumKioskVersion: '1.3.0' })),
        fetchArchiveKey: async () => response(200, archiveKey('archive-1', '2026-01-01T00:00:00.000Z')),
      },
      policy,
      audit,
    });
    expect((await policy.archiveKey())?.keyId).toBe('archive-2');
    expect(audit.events).toEqual([]);
  });
});
