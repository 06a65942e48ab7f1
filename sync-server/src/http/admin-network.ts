/**
 * The admin API is for the machine the server runs on: by default it answers only requests from
 * loopback, and everyone else gets the same 404 as when it does not exist (`ADMIN_ALLOW_REMOTE`
 * widens that to chosen networks, or to all).
 */
import { isIP } from 'node:net';
import type { Context, MiddlewareHandler } from 'hono';
import { ipRestriction } from 'hono/ip-restriction';
import type { Logger } from '../logger';
import { IN_PROCESS, isLocal, wasForwarded } from './client-address';
import { ApiError } from './errors';

/** `ADMIN_ALLOW_REMOTE`: loopback only (the default), any address, or loopback plus these IPs/CIDRs. */
export type AdminRemoteAccess = 'none' | 'any' | readonly string[];

const LOOPBACK_RULES = ['127.0.0.0/8', '::1'];

/** Throws a TypeError naming the first rule that is neither an IP address nor a CIDR range. */
export function checkAllowRules(rules: readonly string[]): void {
  ipRestriction(() => '', { allowList: [...rules] });
}

export function adminNetworkGuard({
  access,
  addressOf,
  trustedProxies,
  logger,
}: {
  access: AdminRemoteAccess;
  addressOf: (c: Context) => string;
  /** `TRUST_PROXY`: 0 means a forwarded request came through a proxy nobody declared. */
  trustedProxies: number;
  logger: Logger;
}): MiddlewareHandler {
  if (access === 'any') return async (_c, next) => next();
  const refuse = (c: Context, address: string, reason: string): never => {
    // The path, the address and why: never the Authorization header.
    logger.warn({ path: c.req.path, address, reason }, 'admin request from the network refused');
    throw new ApiError(404, 'not-found', 'No such API endpoint');
  };
  const allowList = [...LOOPBACK_RULES, ...(access === 'none' ? [] : access)];
  const restricted = ipRestriction(addressOf, { allowList }, (remote, c) =>
    refuse(c, remote.addr, 'address not allowed'),
  );
  return async (c, next) => {
    const address = addressOf(c);
    // A local proxy nobody declared (TRUST_PROXY=0) would make every visitor look like loopback.
    if (trustedProxies === 0 && wasForwarded(c)) return refuse(c, address, 'forwarded by a proxy');
    if (address === IN_PROCESS) return next();
    if (isIP(address) === 0) return refuse(c, address, 'no client address');
    if (access === 'none' && !isLocal(address)) return refuse(c, address, 'not loopback');
    return restricted(c, next);
  };
}
