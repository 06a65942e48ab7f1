import { beforeAll, describe, expect, it } from 'vitest';
import {
  decodeSealed,
  encodeSealed,
  exportSealPublicKey,
  generateSealKeyPair,
  importSealPublicKey,
  open,
  openBytes,
  recipientsOf,
  type SealRecipientKey,
  seal,
  sealToBytes,
  withoutRecipients,
} from './seal';

const utf8 = new TextEncoder();
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

let archive: CryptoKeyPair;
let counter: CryptoKeyPair;
let stranger: CryptoKeyPair;
let recipients: SealRecipientKey[];

beforeAll(async () => {
  [archive, counter, stranger] = await Promise.all([
    generateSealKeyPair(),
    generateSealKeyPair(),
    generateSealKeyPair(),
  ]);
  recipients = [
    { kind: 'archive', keyId: 'archive-2026-1', publicKey: archive.publicKey },
    { kind: 'counter', keyId: 'officer-key-1', publicKey: counter.publicKey },
  ];
});

const archiveKey = () => ({ keyId: 'archive-2026-1', ...archive });
const counterKey = () => ({ keyId: 'officer-key-1', ...counter });

describe('seal and open', () => {
  it('opens with every recipient key, and only with the context it was sealed for', async () => {
    const blob = await seal(utf8.encode('{"nik":"3577010101900001"}'), 'app-1/record', recipients);
    for (const key of [archiveKey(), counterKey()]) {
      const opened = await open(blob, key, 'app-1/record');
      expect(opened.ok && text(opened.value)).toBe('{"nik":"3577010101900001"}');
    }
    expect(await open(blob, archiveKey(), 'app-2/record')).toEqual({ ok: false, problem: 'wrong-context' });
  });

  it('keeps no plaintext in its bytes', async () => {
    const bytes = await sealToBytes(utf8.encode('BUDI SANTOSO 3577010101900001'), 'app-1/record', recipients);
    expect(text(bytes)).not.toContain('BUDI');
    expect(text(bytes)).not.toContain('3577010101900001');
  });

  it('uses a fresh content key and IV per record: the same plaintext seals to different bytes', async () => {
    const a = await seal(utf8.encode('same'), 'app-1/record', recipients);
    const b = await seal(utf8.encode('same'), 'app-1/record', recipients);
    expect(a.header.iv).not.toBe(b.header.iv);
    expect(a.header.recipients[0]?.wrapped).not.toBe(b.header.recipients[0]?.wrapped);
    expect(a.ciphertext).not.toEqual(b.ciphertext);
  });

  it('refuses a key that is not a recipient, even with the right key id', async () => {
    const blob = await seal(utf8.encode('x'), 'app-1/record', recipients);
    expect(await open(blob, { keyId: 'nobody', ...stranger }, 'app-1/record')).toEqual({
      ok: false,
      problem: 'not-a-recipient',
    });
    expect(await open(blob, { keyId: 'archive-2026-1', ...stranger }, 'app-1/record')).toEqual({
      ok: false,
      problem: 'tampered',
    });
  });

  it('will not seal what the RA archive could not open', async () => {
    await expect(seal(utf8.encode('x'), 'app-1/record', recipients.slice(1))).rejects.toThrow(/archive/);
  });
});

describe('giving up the counter key', () => {
  it('after the counter entries are dropped only the archive opens the blob', async () => {
    const sealed = await seal(utf8.encode('picture bytes'), 'app-1/ektp', recipients);
    const dropped = decodeSealed(encodeSealed(withoutRecipients(sealed, 'counter')));
    if (!dropped.ok) throw new Error('re-decoding failed');
    expect(recipientsOf(dropped.value)).toEqual([{ kind: 'archive', keyId: 'archive-2026-1' }]);
    expect(await open(dropped.value, counterKey(), 'app-1/ektp')).toEqual({
      ok: false,
      problem: 'not-a-recipient',
    });
    const opened = await open(dropped.value, archiveKey(), 'app-1/ektp');
    expect(opened.ok && text(opened.value)).toBe('picture bytes');
  });

  it('a counter entry put back under the archive key id does not open it', async () => {
    const sealed = await seal(utf8.encode('x'), 'app-1/record', recipients);
    const counterEntry = sealed.header.recipients[1];
    if (!counterEntry) throw new Error('no counter entry');
    const forged = withoutRecipients(sealed, 'counter');
    forged.header.recipients = [{ ...counterEntry, kind: 'archive', keyId: 'forged' }];
    expect(await open(forged, { keyId: 'forged', ...counter }, 'app-1/record')).toEqual({
      ok: false,
      problem: 'tampered',
    });
  });
});

describe('tamper evidence', () => {
  it('detects a change of any single byte of an encoded blob', async () => {
    const bytes = await sealToBytes(
      utf8.encode('NIK 3577010101900001, BUDI SANTOSO'),
      'app-1/record',
      recipients,
    );
    const failures = new Set<string>();
    for (let i = 0; i < bytes.length; i++) {
      const changed = bytes.slice();
      changed[i] = (changed[i] ?? 0) ^ 0x01;
      const opened = await openBytes(changed, archiveKey(), 'app-1/record');
      if (opened.ok) throw new Error(`byte ${i} of ${bytes.length} changed and the blob still opened`);
      failures.add(opened.problem);
    }
    // Each layer caught some: the frame and JSON, the recipient digests and HPKE, the content AEAD.
    expect([...failures].sort()).toEqual(
      ['malformed', 'not-a-recipient', 'tampered', 'wrong-context'].sort(),
    );
  });

  it('detects a blob moved to another application, context rewritten to match', async () => {
    const blob = await seal(utf8.encode('x'), 'app-1/record', recipients);
    const moved = { ...blob, header: { ...blob.header, context: 'app-2/record' } };
    expect(await open(moved, archiveKey(), 'app-2/record')).toEqual({ ok: false, problem: 'tampered' });
  });

  it('detects a truncated ciphertext and trailing bytes', async () => {
    const bytes = await sealToBytes(utf8.encode('abc'), 'app-1/record', recipients);
    const cut = await openBytes(bytes.slice(0, -1), archiveKey(), 'app-1/record');
    expect(cut.ok).toBe(false);
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect((await openBytes(longer, archiveKey(), 'app-1/record')).ok).toBe(false);
  });

  it.each([
    ['empty', new Uint8Array()],
    ['another format', utf8.encode('%PDF-1.7 hello')],
    ['a header longer than the bytes', new Uint8Array([0x53, 0x52, 0x53, 1, 0, 0, 1, 0, 0x7b])],
  ])('refuses %s as malformed', (_, bytes) => {
    expect(decodeSealed(bytes)).toEqual({ ok: false, problem: 'malformed' });
  });
});

describe('public keys', () => {
  it('round-trips an SPKI and refuses garbage', async () => {
    const spki = await exportSealPublicKey(archive.publicKey);
    const imported = await importSealPublicKey(spki);
    expect(imported).not.toBeNull();
    if (!imported) return;
    const blob = await seal(utf8.encode('x'), 'a/b', [{ kind: 'archive', keyId: 'k', publicKey: imported }]);
    expect((await open(blob, { keyId: 'k', ...archive }, 'a/b')).ok).toBe(true);
    expect(await importSealPublicKey('not-a-key')).toBeNull();
    expect(await importSealPublicKey(spki.slice(0, 20))).toBeNull();
  });
});

describe('many key pairs', () => {
  it('opens with non-extractable keys whatever their public point (HPKE needs the pair)', async () => {
    for (let i = 0; i < 16; i++) {
      const pair = await generateSealKeyPair();
      const blob = await seal(utf8.encode(`n${i}`), 'a/b', [
        { kind: 'archive', keyId: 'k', publicKey: pair.publicKey },
      ]);
      const opened = await open(blob, { keyId: 'k', ...pair }, 'a/b');
      expect(opened.ok && text(opened.value)).toBe(`n${i}`);
    }
  });
});
