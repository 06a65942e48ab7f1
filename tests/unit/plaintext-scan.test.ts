/** The scanner the privacy acceptance tests rely on: it must find what is there, in every form. */
import { describe, expect, test } from 'vitest';
import { scanForPlaintext } from '../support/plaintext-scan';

const pem = (label: string, der: Buffer) =>
  `-----BEGIN ${label}-----\n${(der.toString('base64').match(/.{1,64}/g) ?? []).join('\n')}\n-----END ${label}-----\n`;

describe('scanForPlaintext', () => {
  const name = 'SRI WAHYUNINGSIH';
  // A name deep inside DER, placed so its base64 straddles a PEM line break.
  const der = Buffer.concat([Buffer.alloc(41, 0x30), Buffer.from(name, 'utf8'), Buffer.alloc(90, 0x02)]);

  test('finds a name inside a PEM block, across its line breaks', () => {
    expect(
      scanForPlaintext(
        [{ where: 'row', bytes: pem('CERTIFICATE REQUEST', der) }],
        [{ name: 'nama', value: name }],
      ),
    ).toEqual([expect.objectContaining({ where: 'row (PEM CERTIFICATE REQUEST)', form: 'utf8' })]);
  });

  test('finds a PEM block kept inside JSON, its breaks escaped', () => {
    const json = JSON.stringify({ keyMaterial: { csrPem: pem('CERTIFICATE REQUEST', der) } });
    expect(json).not.toContain('\n');
    expect(scanForPlaintext([{ where: 'json', bytes: json }], [{ name: 'nama', value: name }])).not.toEqual(
      [],
    );
  });

  test('finds text as unbroken base64 at any alignment', () => {
    for (const skip of [0, 1, 2]) {
      const b64 = Buffer.concat([Buffer.alloc(skip, 0x41), Buffer.from(name)]).toString('base64');
      expect(scanForPlaintext([{ where: 'b64', bytes: b64 }], [{ name: 'nama', value: name }])).toEqual([
        expect.objectContaining({ form: 'base64' }),
      ]);
    }
  });

  test('finds bytes raw, as hex and as base64; and nothing where there is nothing', () => {
    const secret = new Uint8Array(crypto.getRandomValues(new Uint8Array(48)));
    const raw = Buffer.from(secret);
    const forms = (bytes: string | Uint8Array) =>
      scanForPlaintext([{ where: 'x', bytes }], [{ name: 'key', value: secret }]).map((f) => f.form);
    expect(forms(Buffer.concat([Buffer.from('xx'), raw]))).toContain('bytes');
    expect(forms(`..${raw.toString('hex').toUpperCase()}..`)).toContain('hex');
    expect(forms(`"${Buffer.concat([Buffer.from('a'), raw]).toString('base64')}"`)).toContain('base64');
    expect(forms(crypto.getRandomValues(new Uint8Array(4096)))).toEqual([]);
    expect(
      scanForPlaintext(
        [{ where: 'row', bytes: pem('CERTIFICATE', Buffer.alloc(200, 7)) }],
        [{ name: 'nama', value: name }],
      ),
    ).toEqual([]);
  });
});
