import { randomUUID } from 'node:crypto';
import { precheckCertificate } from '../../../src/app/handover-crypto';
import type { ServerAuditLog } from '../audit/server-chain';
import type { Logger } from '../logger';
import type {
  ClaimedPoll,
  ClaimedSubmission,
  PollSettlement,
  Store,
  StoredApplication,
  SubmissionSettlement,
} from '../store/store';
import {
  type CaConnector,
  CaError,
  type CaRequest,
  type CaRequestStatus,
  type CaSubmitResult,
} from './connector';
import { createRevocationPhase, type RevocationCounts } from './revocation-phase';

/** What one run did, for the CLI, the admin API and the log. */
export interface ForwardReport {
  /** Taken by the CA. */
  submitted: number;
  /** Refused by the CA on arrival (now `ca-rejected`). */
  refused: number;
  /** Submissions that failed and wait for a retry. */
  retried: number;
  issued: number;
  rejected: number;
  /** Asked about and still pending at the CA (or the CA could not be asked). */
  pending: number;
  /** Answers the RA cannot use: an operator must look (`npm run server -- stats`). */
  attention: number;
  /** Revocation requests (Pasal 15): revoked by the CA, waiting for a retry, unknown to the CA. */
  revoked: RevocationCounts['revoked'];
  revocationsRetried: RevocationCounts['revocationsRetried'];
  revocationsFailed: RevocationCounts['revocationsFailed'];
}

/** A run that did nothing: what each run starts from, and what totals add to. */
export function emptyForwardReport(): ForwardReport {
  return {
    submitted: 0,
    refused: 0,
    retried: 0,
    issued: 0,
    rejected: 0,
    pending: 0,
    attention: 0,
    revoked: 0,
    revocationsRetried: 0,
    revocationsFailed: 0,
  };
}

export interface BackoffPolicy {
  firstMs: number;
  maxMs: number;
}

export interface ForwarderOptions {
  store: Store;
  connector: CaConnector;
  logger: Logger;
  now?: () => Date;
  /** For the back-off's jitter. */
  random?: () => number;
  /** Applications per CA call. */
  batchSize?: number;
  /** How long a claim holds; longer than the slowest CA call, so a live worker keeps its claims. */
  leaseMs?: number;
  /** Waits after a failed submission, doubling per attempt. */
  retry?: BackoffPolicy;
  /** Waits between polls of a pending request, doubling per poll. */
  poll?: BackoffPolicy;
  /** Batches per run and phase, so one run ends even when the queue keeps filling. */
  maxBatchesPerRun?: number;
  /** The server's audit chain: one event per submission call to the CA (issue 8). */
  audit?: ServerAuditLog;
}

export interface Forwarder {
  /** Submits what is due, then polls what is due; concurrent calls share one run. */
  runOnce(): Promise<ForwardReport>;
}

const DEFAULTS = {
  batchSize: 50,
  leaseMs: 10 * 60_000,
  retry: { firstMs: 30_000, maxMs: 60 * 60_000 },
  poll: { firstMs: 30_000, maxMs: 60 * 60_000 },
  maxBatchesPerRun: 40,
} as const;

/** Doubling from `firstMs`, capped, with ±25 % jitter so many retries do not arrive together. */
export function backoffMs(policy: BackoffPolicy, attempt: number, random: () => number): number {
  const base = Math.min(policy.maxMs, policy.firstMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.75 + random() / 2));
}

/**
 * Forwarding to the CA (Pasal 13 ayat 2-3): approved and released applications go out in batches,
 * the CA's reference is recorded, and its answers (certificates, refusals) come back into the store,
 * from where kiosks pull them. Every failure leaves the application where a later run picks it up.
 */
export function createForwarder(options: ForwarderOptions): Forwarder {
  const { store, connector, logger } = options;
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const batchSize = options.batchSize ?? DEFAULTS.batchSize;
  const leaseMs = options.leaseMs ?? DEFAULTS.leaseMs;
  const retry = options.retry ?? DEFAULTS.retry;
  const poll = options.poll ?? DEFAULTS.poll;
  const maxBatches = options.maxBatchesPerRun ?? DEFAULTS.maxBatchesPerRun;
  let running: Promise<ForwardReport> | null = null;

  const claimFor = () => {
    const at = now();
    return {
      token: randomUUID(),
      at: at.toISOString(),
      leaseUntil: new Date(at.getTime() + leaseMs).toISOString(),
      limit: batchSize,
    };
  };
  const later = (policy: BackoffPolicy, attempt: number) =>
    new Date(now().getTime() + backoffMs(policy, attempt, random)).toISOString();
  // Revocation requests (Pasal 15) go with the same claims, leases and back-off as submissions.
  const revocations = createRevocationPhase({
    store,
    connector,
    logger,
    now,
    leaseMs,
    batchSize,
    maxBatches,
    retryAt: (attempts) => later(retry, attempts),
    refusedRetryAt: () => new Date(now().getTime() + retry.maxMs).toISOString(),
  });

  async function submitBatch(claimed: ClaimedSubmission[]): Promise<SubmissionSettlement[]> {
    let result: CaSubmitResult;
    // The requests carry personal data out of the sealed archive to the CA (issue 8).
    await options.audit?.record(
      'archive-opened',
      'server',
      claimed.map(({ application }) => application.id).join(','),
      { purpose: 'ca-submission', applications: String(claimed.length) },
    );
    try {
      result = await connector.submit(claimed.map(({ application }) => toCaRequest(application)));
    } catch (error) {
      const reason = describeFailure(error);
      await options.audit?.record('ca-call', 'server', null, {
        call: 'submit',
        outcome: 'failed',
        applicationIds: claimed.map(({ application }) => application.id),
      });
      // The CA refused the whole call (a 4xx): the same call will not fare better soon, so it
      // waits the longest back-off and an operator is told; the applications are never dropped.
      const refusedCall = error instanceof CaError && !error.retryable;
      const fields = { connector: connector.name, applications: claimed.length, reason };
      if (refusedCall) logger.error(fields, 'CA refused the submission call');
      else logger.warn(fields, 'CA submission failed');
      return claimed.map(({ application, attempts }) => ({
        applicationId: application.id,
        outcome: 'retry',
        error: reason,
        nextAttemptAt: refusedCall
          ? new Date(now().getTime() + retry.maxMs).toISOString()
          : later(retry, attempts),
      }));
    }
    await options.audit?.record('ca-call', 'server', null, {
      call: 'submit',
      outcome: 'answered',
      applicationIds: claimed.map(({ application }) => application.id),
      accepted: result.accepted.length,
      refused: result.refused.length,
    });
    const answers = new Map<string, SubmissionSettlement>();
    for (const { applicationId, caReference } of result.accepted) {
      answers.set(applicationId, { applicationId, outcome: 'accepted', caReference });
    }
    for (const { applicationId, reason } of result.refused) {
      answers.set(applicationId, { applicationId, outcome: 'refused', reason });
    }
    // A connector that leaves one out is a broken answer for that one: ask again later (the
    // application id makes the repeat harmless at the CA).
    return claimed.map(
      ({ application, attempts }) =>
        answers.get(application.id) ?? {
          applicationId: application.id,
          outcome: 'retry',
          error: 'the CA did not answer for this application',
          nextAttemptAt: later(retry, attempts),
        },
    );
  }

  async function pollBatch(claimed: ClaimedPoll[]): Promise<PollSettlement[]> {
    const pendingLater = (poll_: ClaimedPoll): PollSettlement => ({
      applicationId: poll_.applicationId,
      outcome: 'pending',
      nextPollAt: later(poll, poll_.pollAttempts + 1),
    });
    let statuses: CaRequestStatus[];
    try {
      statuses = await connector.poll(claimed.map((c) => c.caReference));
    } catch (error) {
      logger.warn({ connector: connector.name, reason: describeFailure(error) }, 'CA status poll failed');
      return claimed.map(pendingLater);
    }
    const statusOf = new Map(statuses.map((s) => [s.caReference, s]));
    const issuedRefs = claimed.filter((c) => statusOf.get(c.caReference)?.status === 'issued');
    const certificates = new Map<string, string>();
    if (issuedRefs.length > 0) {
      try {
        for (const issued of await connector.fetchCertificates(issuedRefs.map((c) => c.caReference))) {
          certificates.set(issued.caReference, [issued.certificatePem, ...issued.chainPem].join('\n'));
        }
      } catch (error) {
        logger.warn(
          { connector: connector.name, reason: describeFailure(error) },
          'CA certificate fetch failed',
        );
      }
    }
    const settlements: PollSettlement[] = [];
    for (const claim of claimed) {
      const status = statusOf.get(claim.caReference);
      if (status === undefined || status.status === 'pending') {
        settlements.push(pendingLater(claim));
      } else if (status.status === 'rejected') {
        settlements.push({ applicationId: claim.applicationId, outcome: 'rejected', reason: status.reason });
      } else if (status.status === 'unknown') {
        settlements.push({
          applicationId: claim.applicationId,
          outcome: 'attention',
          error: `the CA does not know reference ${claim.caReference}`,
        });
      } else {
        const pem = certificates.get(claim.caReference);
        const checked = pem === undefined ? null : await checkIssued(claim, pem);
        settlements.push(checked === null || checked === 'not-yet-valid' ? pendingLater(claim) : checked);
      }
    }
    return settlements;
  }

  /**
   * The same check as for a certificate imported by hand: this key, this subject, valid now,
   * chained. A certificate that starts a moment after the RA's clock (the two clocks differ by
   * seconds) is fetched again later, not put before an operator.
   */
  async function checkIssued(
    claim: ClaimedPoll,
    certificatePem: string,
  ): Promise<PollSettlement | 'not-yet-valid'> {
    const checked = await precheckCertificate({
      certificateText: certificatePem,
      chainText: null,
      csrPem: claim.csrPem,
      now: now().toISOString(),
    });
    if (!checked.ok && checked.problem === 'not-yet-valid') return 'not-yet-valid';
    if (!checked.ok) {
      return {
        applicationId: claim.applicationId,
        outcome: 'attention',
        error: `the CA's certificate does not fit the request (${checked.problem})`,
      };
    }
    return {
      applicationId: claim.applicationId,
      outcome: 'issued',
      certificatePem,
      notAfter: checked.value.notAfter,
      serialNumberHex: checked.value.serialNumberHex,
    };
  }

  async function run(): Promise<ForwardReport> {
    const report = emptyForwardReport();
    // A short claim does not mean the queue is empty (another worker may hold the rest, or have
    // taken some of these meanwhile): only a claim that gets nothing ends a phase.
    for (let batch = 0; batch < maxBatches; batch++) {
      const claim = claimFor();
      const claimed = await store.claimForSubmission(claim);
      if (claimed.length === 0) break;
      const settlements = await submitBatch(claimed);
      await store.settleSubmissions(claim.token, settlements, now().toISOString());
      for (const s of settlements) {
        if (s.outcome === 'accepted') report.submitted++;
        else if (s.outcome === 'refused') report.refused++;
        else report.retried++;
      }
    }
    for (let batch = 0; batch < maxBatches; batch++) {
      const claim = claimFor();
      const claimed = await store.claimForPolling(claim);
      if (claimed.length === 0) break;
      const settlements = await pollBatch(claimed);
      await store.settlePolls(claim.token, settlements, now().toISOString());
      for (const s of settlements) {
        if (s.outcome === 'issued') report.issued++;
        else if (s.outcome === 'rejected') report.rejected++;
        else if (s.outcome === 'pending') report.pending++;
        else {
          report.attention++;
          logger.error(
            { connector: connector.name, applicationId: s.applicationId, reason: s.error },
            'CA answer needs an operator',
          );
        }
      }
    }
    Object.assign(report, await revocations.run());
    if (Object.values(report).some((n) => n > 0))
      logger.info({ connector: connector.name, ...report }, 'forwarding run');
    return report;
  }

  return {
    runOnce() {
      running ??= run().finally(() => {
        running = null;
      });
      return running;
    },
  };
}

/** The application as the CA receives it: the request, the holder's data and the papers. */
export function toCaRequest(application: StoredApplication): CaRequest {
  return {
    applicationId: application.id,
    certificateType: application.certificateType,
    csrPem: application.csrPem,
    nama: application.nama,
    nik: application.nik,
    nip: application.nip,
    email: application.email,
    perangkatDaerah: application.perangkatDaerah,
    jabatan: application.jabatan,
    host: application.host,
    mobile: application.mobile ?? null,
    attachments: [
      { kind: 'ektp', mediaType: application.ektpMediaType, data: application.ektpImage },
      ...(application.attachments ?? []),
    ],
  };
}

/** One English line for logs and the forwarding row; CaError messages carry no personal data. */
function describeFailure(error: unknown): string {
  if (error instanceof CaError) return `${error.kind}: ${error.message}`;
  return `unexpected: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * Runs the forwarder every `intervalMs` until stopped; a run that throws (the database away) is
 * logged and the next one tries again.
 */
export function scheduleForwarding(
  forwarder: Forwarder,
  intervalMs: number,
  logger: Logger,
): { stop(): Promise<void> } {
  let stopped = false;
  let current: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    current = forwarder
      .runOnce()
      .catch((error: unknown) => logger.error({ err: error }, 'forwarding run failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, Math.min(intervalMs, 1_000));
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
