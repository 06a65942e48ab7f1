import { describe, expect, it } from 'vitest';
import {
  type AuditEvent,
  canonicalEventText,
  canonicalJson,
  GENESIS,
  GENESIS_HASH,
  hashEvent,
  nextEvent,
  verifyEvents,
} from './chain';
import { keyFingerprint, signCheckpoint, verifyChain, verifyCheckpointSignature } from './checkpoint';

/** The i-th event; fails the test when there is none. */
function nth(events: readonly AuditEvent[], i: number): AuditEvent {
  const event = events[i];
  if (event === undefined) throw new Error(`no event ${i}`);
  return event;
}

const APP = '0b6b1c2e-3f4a-4b5c-8d6e-7f8091a2b3c4';

async function chainOf(n: number): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  let head = GENESIS;
  for (let i = 0; i < n; i++) {
    const event = await nextEvent(head, {
      at: `2026-03-01T08:00:${String(i).padStart(2, '0')}.000Z`,
      type: i % 2 === 0 ? 'captured' : 'synced',
      subject: i % 2 === 0 ? APP : null,
      detail: i % 2 === 0 ? null : { ids: [APP], count: 1 },
    });
    events.push(event);
    head = event;
  }
  return events;
}

describe('canonical encoding', () => {
  it('is a fixed-order JSON array with sorted detail keys', () => {
    const text = canonicalEventText({
      seq: 7,
      at: '2026-03-01T08:00:00.000Z',
      type: 'decided',
      subject: APP,
      detail: { officerId: 'o-1', decision: 'approve', ok: true, n: 3, none: null },
      prevHash: GENESIS_HASH,
    });
    expect(text).toBe(
      `["sertel-audit-v1",7,"2026-03-01T08:00:00.000Z","decided","${APP}",` +
        `{"decision":"approve","n":3,"none":null,"officerId":"o-1","ok":true},"${GENESIS_HASH}"]`,
    );
    expect(JSON.parse(text)).toHaveLength(7);
  });

  it('gives the same text whatever the key order of the detail', () => {
    expect(canonicalJson({ b: '2', a: ['x', 'y'] })).toBe(canonicalJson({ a: ['x', 'y'], b: '2' }));
    expect(canonicalJson({ b: '2', a: ['x', 'y'] })).toBe('{"a":["x","y"],"b":"2"}');
  });

  it('refuses numbers that do not encode the same everywhere', () => {
    expect(() => canonicalJson({ n: 0.1 })).toThrow();
  });

  it('hashes to a known answer', async () => {
    // sha256 of the exact canonical text: changing the encoding changes every stored chain.
    const body = {
      seq: 1,
      at: '2026-01-01T00:00:00.000Z',
      type: 'captured',
      subject: null,
      detail: null,
      prevHash: GENESIS_HASH,
    };
    expect(canonicalEventText(body)).toBe(
      `["sertel-audit-v1",1,"2026-01-01T00:00:00.000Z","captured",null,null,"${GENESIS_HASH}"]`,
    );
    const { createHash } = await import('node:crypto');
    expect(await hashEvent(body)).toBe(createHash('sha256').update(canonicalEventText(body)).digest('hex'));
  });
});

describe('verifyEvents', () => {
  it('accepts an untouched chain', async () => {
    expect(await verifyEvents(await chainOf(6))).toEqual([]);
  });

  it('finds a changed field', async () => {
    const events = await chainOf(6);
    events[2] = { ...nth(events, 2), subject: 'someone-else' };
    expect(await verifyEvents(events)).toEqual([{ kind: 'hash-mismatch', seq: 3 }]);
  });

  it('finds a changed field even when its hash was recomputed', async () => {
    const events = await chainOf(6);
    const forged = { ...nth(events, 2), type: 'purged' };
    events[2] = { ...forged, hash: await hashEvent(forged) };
    expect(await verifyEvents(events)).toEqual([{ kind: 'prev-hash-break', seq: 4 }]);
  });

  it('finds a deleted event', async () => {
    const events = await chainOf(6);
    events.splice(3, 1);
    expect(await verifyEvents(events)).toEqual([
      { kind: 'seq-gap', seq: 5, expected: 4 },
      { kind: 'prev-hash-break', seq: 5 },
    ]);
  });

  it('finds two events swapped', async () => {
    const events = await chainOf(6);
    [events[2], events[3]] = [nth(events, 3), nth(events, 2)];
    const problems = await verifyEvents(events);
    expect(problems[0]).toEqual({ kind: 'seq-order', seq: 4, expected: 3 });
    expect(problems.map((p) => p.kind)).not.toContain('seq-gap');
  });

  it('checks the first event against the head it follows', async () => {
    const events = await chainOf(4);
    expect(await verifyEvents(events.slice(2), events[1])).toEqual([]);
    expect(await verifyEvents(events.slice(2), events[0])).toContainEqual({
      kind: 'seq-gap',
      seq: 3,
      expected: 2,
    });
  });
});

describe('checkpoints', () => {
  const deviceKey = async () => {
    const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
    return { privateKey: pair.privateKey, publicKeySpki: Buffer.from(spki).toString('base64') };
  };

  it('verifies with the key that signed and names it by fingerprint', async () => {
    const key = await deviceKey();
    const events = await chainOf(5);
    const checkpoint = await signCheckpoint(nth(events, 4), '2026-03-01T09:00:00.000Z', key);
    expect(checkpoint.keyFingerprint).toBe(await keyFingerprint(key.publicKeySpki));
    expect(await verifyCheckpointSignature(checkpoint)).toBe('ok');
    expect(await verifyCheckpointSignature(checkpoint, () => false)).toBe('unknown-key');
  });

  it('refuses a changed signature, seq, or key', async () => {
    const key = await deviceKey();
    const other = await deviceKey();
    const events = await chainOf(3);
    const checkpoint = await signCheckpoint(nth(events, 2), '2026-03-01T09:00:00.000Z', key);
    const flipped = checkpoint.signature.startsWith('A')
      ? `B${checkpoint.signature.slice(1)}`
      : `A${checkpoint.signature.slice(1)}`;
    expect(await verifyCheckpointSignature({ ...checkpoint, signature: flipped })).toBe('bad-signature');
    expect(await verifyCheckpointSignature({ ...checkpoint, seq: 2 })).toBe('bad-signature');
    expect(await verifyCheckpointSignature({ ...checkpoint, publicKeySpki: other.publicKeySpki })).toBe(
      'bad-signature',
    );
  });

  it('catches a chain re-hashed after an edit through its checkpoint', async () => {
    const key = await deviceKey();
    const events = await chainOf(4);
    const checkpoints = [await signCheckpoint(nth(events, 3), '2026-03-01T09:00:00.000Z', key)];
    // Rewrite event 2 and re-hash everything after it: the links hold, the signed head does not.
    let head = nth(events, 0);
    const forged: AuditEvent[] = [head];
    for (const original of events.slice(1)) {
      const body = {
        ...original,
        prevHash: head.hash,
        detail: original.seq === 2 ? { ids: [] } : original.detail,
      };
      head = { ...body, hash: await hashEvent(body) };
      forged.push(head);
    }
    const verifyCheckpoint = (c: (typeof checkpoints)[number]) => verifyCheckpointSignature(c);
    expect(await verifyChain({ events, checkpoints, verifyCheckpoint })).toEqual([]);
    expect(await verifyChain({ events: forged, checkpoints, verifyCheckpoint })).toEqual([
      { kind: 'checkpoint-mismatch', seq: 4 },
    ]);
  });

  it('reports a head past the last checkpoint only when asked to', async () => {
    const key = await deviceKey();
    const events = await chainOf(5);
    const checkpoints = [await signCheckpoint(nth(events, 2), '2026-03-01T09:00:00.000Z', key)];
    const verifyCheckpoint = (c: (typeof checkpoints)[number]) => verifyCheckpointSignature(c);
    expect(await verifyChain({ events, checkpoints, verifyCheckpoint })).toEqual([]);
    expect(
      await verifyChain({ events, checkpoints, verifyCheckpoint, requireCheckpointedHead: true }),
    ).toEqual([{ kind: 'head-not-checkpointed', seq: 5, checkpointSeq: 3 }]);
  });
});
