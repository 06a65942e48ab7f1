import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger';
import type { ClaimedRevocation, RevocationSettlement } from '../store/lifecycle-store';
import type { Store } from '../store/store';
import { type CaConnector, CaError, type CaRevocationResult } from './connector';

/** What one run's revocation phase did (part of the forwarding report). */
export interface RevocationCounts {
  /** The CA revoked the certificate now, or had revoked it before (a repeat after a lost answer). */
  revoked: number;
  /** The CA could not be asked; tried again after a back-off. */
  revocationsRetried: number;
  /** The CA does not know the certificate: an operator must look. */
  revocationsFailed: number;
}

export interface RevocationPhaseOptions {
  store: Pick<Store, 'claimForRevocation' | 'settleRevocations'>;
  connector: CaConnector;
  logger: Logger;
  now: () => Date;
  /** How long a claim holds: longer than a batch of CA calls. */
  leaseMs: number;
  batchSize: number;
  maxBatches: number;
  /** The wait before the next try after `attempts` failed ones (the forwarder's back-off). */
  retryAt: (attempts: number) => string;
  /** The longest wait: after a call the CA refused outright (an operator must look). */
  refusedRetryAt: () => string;
}

/**
 * Revocation requests to the CA (Pasal 15), as submissions are forwarded: claimed with a lease, so
 * two workers never send one request twice; the request id is the CA's idempotency key, so a retry
 * after a lost answer is harmless.
 */
export function createRevocationPhase(options: RevocationPhaseOptions): { run(): Promise<RevocationCounts> } {
  const { store, connector, logger, now } = options;

  async function revokeOne(claimed: ClaimedRevocation): Promise<RevocationSettlement> {
    let result: CaRevocationResult;
    try {
      result = await connector.revoke({
        // The connector takes lower case; the RA keeps OpenSSL's upper case.
        serialNumberHex: claimed.serialNumberHex.toLowerCase(),
        reason: claimed.reason,
        requestId: claimed.requestId,
      });
    } catch (error) {
      const refused = error instanceof CaError && !error.retryable;
      const reason =
        error instanceof CaError
          ? `${error.kind}: ${error.message}`
          : `unexpected: ${error instanceof Error ? error.message : String(error)}`;
      const fields = { connector: connector.name, requestId: claimed.requestId, reason };
      if (refused) logger.error(fields, 'CA refused the revocation call');
      else logger.warn(fields, 'CA revocation failed');
      return {
        requestId: claimed.requestId,
        outcome: 'retry',
        error: reason,
        nextAttemptAt: refused ? options.refusedRetryAt() : options.retryAt(claimed.attempts),
      };
    }
    if (result.status === 'unknown-certificate') {
      return {
        requestId: claimed.requestId,
        outcome: 'unknown-certificate',
        error: 'the CA does not know this certificate',
      };
    }
    return { requestId: claimed.requestId, outcome: result.status, revokedAt: result.revokedAt };
  }

  return {
    async run() {
      const counts: RevocationCounts = { revoked: 0, revocationsRetried: 0, revocationsFailed: 0 };
      for (let batch = 0; batch < options.maxBatches; batch++) {
        const at = now();
        const claim = {
          token: randomUUID(),
          at: at.toISOString(),
          leaseUntil: new Date(at.getTime() + options.leaseMs).toISOString(),
          limit: options.batchSize,
        };
        const claimed = await store.claimForRevocation(claim);
        if (claimed.length === 0) break;
        // One call per request: the connector's revoke takes one serial.
        const settlements: RevocationSettlement[] = [];
        for (const revocation of claimed) settlements.push(await revokeOne(revocation));
        await store.settleRevocations(claim.token, settlements, now().toISOString());
        for (const s of settlements) {
          if (s.outcome === 'retry') counts.revocationsRetried++;
          else if (s.outcome === 'unknown-certificate') {
            counts.revocationsFailed++;
            logger.error(
              { connector: connector.name, requestId: s.requestId, reason: s.error },
              'CA revocation answer needs an operator',
            );
          } else counts.revoked++;
        }
      }
      return counts;
    },
  };
}
