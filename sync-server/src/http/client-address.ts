/**
 * Who is on the other end of a request: the TCP peer's address, or, behind reverse proxies the
 * operator declared with `TRUST_PROXY`, the address the nearest of them saw. Rate limits and the
 * admin API's loopback rule both read it, so they can never disagree.
 */
import { isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * The address of a request that came through no Node socket at all: `app.request()` in the same
 * process (tests, tools). The Node server always sets one, so nothing from the network reads so.
 */
export const IN_PROCESS = 'in-process';
/** A socket that no longer knows its peer (already closed): treated as a stranger. */
export const UNKNOWN_ADDRESS = 'unknown';

export interface ClientAddressOptions {
  /**
   * `TRUST_PROXY`: how many reverse proxies stand in front of the server. 0 (the default): the
   * socket's peer is the client and `X-Forwarded-For` is ignored, since anyone can send it.
   */
  trustedProxies: number;
}

function socketAddress(c: Context): string {
  const env: unknown = c.env;
  const fromNode = typeof env === 'object' && env !== null && ('incoming' in env || 'server' in env);
  if (!fromNode) return IN_PROCESS;
  return getConnInfo(c).remote.address ?? UNKNOWN_ADDRESS;
}

/**
 * The client's address. With n trusted proxies, the n-th `X-Forwarded-For` entry from the right
 * (each proxy appends the peer it saw; entries further left are whatever the client wrote). When
 * the header has fewer entries than that, the leftmost one is the best there is.
 */
export function clientAddress(c: Context, { trustedProxies }: ClientAddressOptions): string {
  const peer = socketAddress(c);
  if (trustedProxies === 0) return peer;
  const forwarded = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (forwarded.length === 0) return peer;
  const hops = [peer, ...forwarded.reverse()];
  const chosen = hops[Math.min(trustedProxies, hops.length - 1)] ?? peer;
  // A header entry is text anyone may have written: only an address counts as one.
  return isIP(chosen) === 0 && chosen !== peer ? UNKNOWN_ADDRESS : chosen;
}

/** True for 127.0.0.0/8, ::1 and their IPv4-mapped forms, and for an in-process request. */
export function isLocal(address: string): boolean {
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return address === IN_PROCESS || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4) || address === '::1';
}

/** True when the request says a proxy forwarded it: then the socket's peer is not the client. */
export function wasForwarded(c: Context): boolean {
  return c.req.header('x-forwarded-for') !== undefined || c.req.header('forwarded') !== undefined;
}
