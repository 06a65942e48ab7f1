/**
 * Reads a mail as it went over SMTP or into the development mail drop: the headers, and the text
 * with its transfer encoding undone. Enough MIME for the server's confirmation mails (one text part,
 * 7bit, quoted-printable or base64, possibly inside a multipart); used by the server tests and e2e.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface MailMessage {
  /** Header names in lower case; a repeated header keeps its first value. */
  headers: Map<string, string>;
  text: string;
  raw: string;
}

function splitHead(raw: string): { head: string; body: string } {
  const match = /\r?\n\r?\n/.exec(raw);
  if (!match) return { head: raw, body: '' };
  return { head: raw.slice(0, match.index), body: raw.slice(match.index + match[0].length) };
}

function parseHeaders(head: string): Map<string, string> {
  const headers = new Map<string, string>();
  // Continuation lines start with white space.
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return headers;
}

function decodeBody(body: string, encoding: string | undefined): string {
  switch ((encoding ?? '7bit').toLowerCase()) {
    case 'quoted-printable': {
      const joined = body.replace(/=\r?\n/g, '');
      const bytes: number[] = [];
      for (let i = 0; i < joined.length; i++) {
        const hex = joined.slice(i + 1, i + 3);
        if (joined[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
          bytes.push(Number.parseInt(hex, 16));
          i += 2;
        } else {
          bytes.push(...Buffer.from(joined[i] ?? '', 'utf8'));
        }
      }
      return Buffer.from(bytes).toString('utf8');
    }
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    default:
      return body;
  }
}

export function parseMail(raw: string): MailMessage {
  const { head, body } = splitHead(raw);
  const headers = parseHeaders(head);
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (type.toLowerCase().startsWith('multipart/') && boundary) {
    for (const part of body.split(`--${boundary}`).slice(1)) {
      const inner = splitHead(part.replace(/^\r?\n/, ''));
      const partHeaders = parseHeaders(inner.head);
      if ((partHeaders.get('content-type') ?? '').toLowerCase().startsWith('text/plain')) {
        return { headers, text: decodeBody(inner.body, partHeaders.get('content-transfer-encoding')), raw };
      }
    }
    return { headers, text: '', raw };
  }
  return { headers, text: decodeBody(body, headers.get('content-transfer-encoding')), raw };
}

/** The six-digit code a code mail carries (the indented line), or null. */
export function codeFrom(mail: MailMessage): string | null {
  return /^\s{4}(\d{6})\s*$/m.exec(mail.text)?.[1] ?? null;
}

/** The confirmation link a mail carries, or null. */
export function linkFrom(mail: MailMessage): string | null {
  return /https?:\/\/\S+\/api\/v1\/email\/confirm\?token=[A-Za-z0-9_-]{43}/.exec(mail.text)?.[0] ?? null;
}

/** The application a mail is about (the server's `X-Sertel-Application-Id` header). */
export function applicationIdOf(mail: MailMessage): string | undefined {
  return mail.headers.get('x-sertel-application-id');
}

/** Every mail in the development mail drop, oldest first (the file names start with the time). */
export function readMailDrop(dir: string): MailMessage[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith('.eml'))
    .sort()
    .map((name) => parseMail(readFileSync(join(dir, name), 'utf8')));
}
