import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64, bytesToBase64Portable, fromPem, toPem } from './pem';

/** getRandomValues fills at most 65,536 bytes per call. */
function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  for (let offset = 0; offset < length; offset += 65_536) {
    crypto.getRandomValues(bytes.subarray(offset, Math.min(length, offset + 65_536)));
  }
  return bytes;
}

/** Node's own base64, an implementation independent of the one under test. */
const nodeBase64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

const CHUNK = 0x8000;

describe('bytesToBase64 / base64ToBytes', () => {
  // RFC 4648, section 10.
  it.each([
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg=='],
    ['fooba', 'Zm9vYmE='],
    ['foobar', 'Zm9vYmFy'],
  ])('RFC 4648 vector %j ↔ %j', (text, base64) => {
    const bytes = new TextEncoder().encode(text);
    expect(bytesToBase64(bytes)).toBe(base64);
    expect(base64ToBytes(base64)).toEqual(bytes);
  });

  it.each([0, 1, 2, 3, 4, 5, 63, 64, 65, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 7, 200_000])(
    'round-trips %i random bytes',
    (length) => {
      const bytes = randomBytes(length);
      const base64 = bytesToBase64(bytes);
      expect(base64).toBe(nodeBase64(bytes));
      expect(base64ToBytes(base64)).toEqual(bytes);
    },
  );

  it('round-trips every byte value', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(bytesToBase64(bytes)).toBe(nodeBase64(bytes));
    expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes);
  });

  it('encodes only the view, not the whole underlying buffer', () => {
    const whole = Uint8Array.from({ length: 10 }, (_, i) => i);
    const view = whole.subarray(3, 6);
    expect(bytesToBase64(view)).toBe(nodeBase64(Uint8Array.from([3, 4, 5])));
  });
});

describe('toPem / fromPem', () => {
  it.each([1, 2, 3, 47, 48, 49, 96, 1_000, 3_000, CHUNK + 1])('round-trips %i random bytes', (length) => {
    const der = randomBytes(length);
    expect(fromPem('CERTIFICATE REQUEST', toPem('CERTIFICATE REQUEST', der))).toEqual(der);
  });

  it('accepts an ArrayBuffer as well as a Uint8Array', () => {
    const der = randomBytes(100);
    expect(toPem('X', der.buffer)).toBe(toPem('X', der));
  });

  it('writes the header, 64-character lines and the footer, ending with a newline', () => {
    const der = randomBytes(1_000);
    const pem = toPem('ENCRYPTED PRIVATE KEY', der);
    const lines = pem.split('\n');
    expect(lines[0]).toBe('-----BEGIN ENCRYPTED PRIVATE KEY-----');
    expect(lines.at(-2)).toBe('-----END ENCRYPTED PRIVATE KEY-----');
    expect(lines.at(-1)).toBe('');
    const body = lines.slice(1, -2);
    expect(body.join('')).toBe(nodeBase64(der));
    for (const line of body.slice(0, -1)) expect(line).toHaveLength(64);
    const last = body.at(-1) ?? '';
    expect(last.length).toBeGreaterThan(0);
    expect(last.length).toBeLessThanOrEqual(64);
  });

  it('writes no empty line when the body fills its last line exactly', () => {
    const pem = toPem('X', randomBytes(48)); // 48 bytes → exactly 64 base64 characters
    expect(pem.split('\n')).toHaveLength(4);
  });

  it('reads CRLF line endings and text around the block', () => {
    const der = randomBytes(200);
    const pem = `Subject: test\r\n${toPem('CERTIFICATE', der).replaceAll('\n', '\r\n')}trailing text\r\n`;
    expect(fromPem('CERTIFICATE', pem)).toEqual(der);
  });

  it('picks the block with the requested label', () => {
    const key = randomBytes(50);
    const csr = randomBytes(60);
    const both = toPem('ENCRYPTED PRIVATE KEY', key) + toPem('CERTIFICATE REQUEST', csr);
    expect(fromPem('CERTIFICATE REQUEST', both)).toEqual(csr);
    expect(fromPem('ENCRYPTED PRIVATE KEY', both)).toEqual(key);
  });

  const body = (base64: string, label = 'CERTIFICATE') =>
    `-----BEGIN ${label}-----\n${base64}\n-----END ${label}-----\n`;

  it.each([
    ['a wrong label', toPem('CERTIFICATE', Uint8Array.from([1, 2, 3]))],
    ['no PEM at all', 'hello world'],
    ['the empty string', ''],
    ['a header without a footer', '-----BEGIN CERTIFICATE REQUEST-----\nAQID\n'],
    [
      'mismatched header and footer',
      '-----BEGIN CERTIFICATE REQUEST-----\nAQID\n-----END CERTIFICATE-----\n',
    ],
    ['an empty body', body('', 'CERTIFICATE REQUEST')],
    ['a character outside base64', body('AQ!D', 'CERTIFICATE REQUEST')],
    ['a length that is not a multiple of 4', body('AQI', 'CERTIFICATE REQUEST')],
    ['three padding characters', body('A===', 'CERTIFICATE REQUEST')],
    ['padding in the middle', body('AB=C', 'CERTIFICATE REQUEST')],
    ['padding at the start', body('=ABC', 'CERTIFICATE REQUEST')],
    ['padding before more data', body('AQ==AQID', 'CERTIFICATE REQUEST')],
  ])('returns null for %s', (_what, pem) => {
    expect(fromPem('CERTIFICATE REQUEST', pem)).toBeNull();
  });
});

describe('fromPem: armour as OpenSSL reads it', () => {
  const der = Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0x00]);
  const pem = toPem('CERTIFICATE REQUEST', der);
  it.each([
    ['the END line glued to the last base64 line', pem.replace('\n-----END', '-----END')],
    ['junk after the END line on the same line', pem.replace('REQUEST-----\n', 'REQUEST-----=')],
    ['the BEGIN line not on a line of its own', pem.replace('REQUEST-----\n', 'REQUEST-----')],
  ])('refuses %s', (_what, text) => {
    expect(fromPem('CERTIFICATE REQUEST', text)).toBeNull();
  });
  it.each([
    ['CRLF line ends', pem.replace(/\n/g, '\r\n')],
    ['text before and after the block', `Subject: SITI\n${pem}trailing notes\n`],
  ])('accepts %s', (_what, text) => {
    expect(fromPem('CERTIFICATE REQUEST', text)).toEqual(der);
  });
});

describe('bytesToBase64 on a native encoder', () => {
  // In Node bytesToBase64 uses Buffer; the browser may use Uint8Array.prototype.toBase64. Both must
  // give exactly what the portable btoa path gives, views into larger buffers included.
  it.each([0, 1, 2, 3, 4, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 2, 150 * 1024])(
    'agrees with the portable encoder for %i bytes',
    (length) => {
      const bytes = randomBytes(length);
      expect(bytesToBase64(bytes)).toBe(bytesToBase64Portable(bytes));
      const backing = randomBytes(length + 7);
      const view = backing.subarray(3, 3 + length);
      expect(bytesToBase64(view)).toBe(bytesToBase64Portable(view));
      expect(bytesToBase64(view)).toBe(nodeBase64(view));
    },
  );
});
