/** Base64 and PEM helpers that run the same in browsers and in Node (both have atob/btoa). */

/** Native encoders where the runtime has one: `Uint8Array.prototype.toBase64` (new browsers), Node's Buffer. */
const nativeToBase64 = (() => {
  const proto = Uint8Array.prototype as Uint8Array & { toBase64?: () => string };
  if (typeof proto.toBase64 === 'function') {
    return (bytes: Uint8Array) => (bytes as Uint8Array & { toBase64: () => string }).toBase64();
  }
  // Node (the simulator, tests): its btoa is a slow JavaScript loop, 5 ms for a 150 KB picture.
  const buffer = (
    globalThis as {
      Buffer?: {
        from(b: ArrayBufferLike, offset: number, length: number): { toString(e: 'base64'): string };
      };
    }
  ).Buffer;
  if (buffer !== undefined) {
    return (bytes: Uint8Array) =>
      buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  }
  return null;
})();

export function bytesToBase64(bytes: Uint8Array): string {
  if (nativeToBase64 !== null) return nativeToBase64(bytes);
  return bytesToBase64Portable(bytes);
}

/** The encoder every runtime has; exported so tests can hold the native ones to it. */
export function bytesToBase64Portable(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

/** Lower-case hex, two digits a byte. */
export function bytesToHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Throws on characters outside the base64 alphabet: callers validate before decoding. */
export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function toPem(label: string, der: ArrayBuffer | Uint8Array): string {
  const base64 = bytesToBase64(der instanceof Uint8Array ? der : new Uint8Array(der));
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** Returns the DER inside the first PEM block with this label, or null when there is none. */
export function fromPem(label: string, pem: string): Uint8Array<ArrayBuffer> | null {
  // Armour lines on lines of their own, as OpenSSL requires: a request it cannot load is refused here too.
  const match = new RegExp(
    `(?:^|\\n)-----BEGIN ${label}-----\\r?\\n([A-Za-z0-9+/=\\r\\n]+?)\\r?\\n-----END ${label}-----(?=\\r?\\n|$)`,
  ).exec(pem);
  if (!match?.[1]) return null;
  const body = match[1].replace(/\s+/g, '');
  // '=' only as one or two final pads: atob would throw on 'A===' or 'AB=C'.
  if (body.length === 0 || body.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return null;
  return base64ToBytes(body);
}

/** Base64url without padding (RFC 4648 §5), as signatures travel in headers and statements. */
export function base64url(bytes: Uint8Array): string {
  return bytesToBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  const padded = text
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(text.length / 4) * 4, '=');
  try {
    return base64ToBytes(padded);
  } catch {
    return null;
  }
}
