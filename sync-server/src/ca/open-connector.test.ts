import { describe, expect, test } from 'vitest';
import type { CaConnector } from './connector';
import { openedWhenNeeded } from './open-connector';

/** A connector that counts how often it was opened and closed. */
function counting() {
  const counts = { opened: 0, closed: 0, failNext: false };
  const open = async (): Promise<CaConnector> => {
    if (counts.failNext) {
      counts.failNext = false;
      throw new Error('wrong passphrase for the dev CA keys');
    }
    counts.opened++;
    return {
      name: 'inner',
      submit: async (requests) => ({
        accepted: requests.map((r) => ({ applicationId: r.applicationId, caReference: 'R' })),
        refused: [],
      }),
      poll: async (references) =>
        references.map((caReference) => ({ caReference, status: 'pending' as const })),
      fetchCertificates: async () => [],
      revoke: async () => ({ status: 'unknown-certificate' as const }),
      fetchCrl: async () => ({
        der: new Uint8Array([0x30, 0]),
        thisUpdate: '2026-11-26T00:00:00.000Z',
        nextUpdate: null,
      }),
      close: async () => {
        counts.closed++;
      },
    };
  };
  return { counts, open };
}

describe('a CA connector opened when first needed', () => {
  test('nothing is opened until a call needs the CA; then once, whatever the number of calls', async () => {
    const { counts, open } = counting();
    const connector = openedWhenNeeded('dev-ca', open);
    expect(counts.opened).toBe(0);
    await Promise.all([connector.poll(['a']), connector.poll(['b']), connector.fetchCrl()]);
    expect(counts.opened).toBe(1);
    await connector.close();
    expect(counts.closed).toBe(1);
  });

  test('closing a connector never opened opens nothing', async () => {
    const { counts, open } = counting();
    await openedWhenNeeded('dev-ca', open).close();
    expect(counts).toMatchObject({ opened: 0, closed: 0 });
  });

  test('a failed opening reaches the caller and is tried again at the next call', async () => {
    const { counts, open } = counting();
    const connector = openedWhenNeeded('dev-ca', open);
    counts.failNext = true;
    await expect(connector.poll(['a'])).rejects.toThrow('wrong passphrase');
    expect(await connector.poll(['a'])).toEqual([{ caReference: 'a', status: 'pending' }]);
    expect(counts.opened).toBe(1);
  });
});
