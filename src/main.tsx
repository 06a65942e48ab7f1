/* Composition root: the only place that builds adapters and hands them to the app. */
// First: zod must not probe for eval under the kiosk's CSP.
import './adapters/zod-jitless';
import { render } from 'solid-js/web';
import regions from '../config/regions.json';
import { createCryptoWorkerClient } from './adapters/crypto/crypto-worker-client';
import { openAuditLog } from './adapters/db/audit-db';
import { openOutbox } from './adapters/db/outbox-db';
import { createLifecycleHttpTransport } from './adapters/lifecycle/lifecycle-http-transport';
import { DexieRevocationLog } from './adapters/lifecycle/revocation-log';
import { createEktpReader } from './adapters/ocr/ektp-reader';
import { createOfficerHttpTransport } from './adapters/officer/officer-http-transport';
import { DexieOfficerKeyStore } from './adapters/officer/officer-key-store';
import { passphraseTools } from './adapters/passphrase/strength';
import { makeStorageInspector } from './adapters/storage/storage-status';
import { createAuditTransport } from './adapters/sync/audit-transport';
import { createEmailHttpTransport } from './adapters/sync/email-transport';
import { createHttpTransport } from './adapters/sync/http-transport';
import { createKioskPolicyTransport } from './adapters/sync/kiosk-policy-transport';
import { createSignedClient } from './adapters/sync/signed-client';
import { startSyncLoop } from './adapters/sync/sync-loop';
import { checkCaptureGuardrails, watchCaptureGuardrails } from './app/capture-guardrails';
import { certificateProfiles } from './app/certificate-profiles';
import { type EmailConfirmationDeps, requestEmailCode, verifyEmailCode } from './app/email-confirmation';
import { enrollKiosk } from './app/enroll-kiosk';
import { handOver, unlockHandover } from './app/handover';
import { precheckCertificate } from './app/handover-crypto';
import { completenessRules, decisionRules, kioskConfig, pinPolicy } from './app/kiosk-config';
import { refreshKioskPolicy } from './app/kiosk-policy';
import { createLifecycleServices } from './app/lifecycle/services';
import { decideApplication } from './app/officer/decide-application';
import { checkNikAtServer, localNikMatches } from './app/officer/duplicate-nik';
import { enrollOfficer } from './app/officer/enroll-officer';
import { createLockReporter } from './app/officer/lock-reporter';
import { createOfficerSessions } from './app/officer/officer-session';
import { releaseApplications } from './app/officer/release-applications';
import { keyMaterialOf, openAtCounter } from './app/sealing/open-at-counter';
import { type PurgeReport, purgeExpired } from './app/sealing/purge-expired';
import { sealRecipients } from './app/sealing/seal-application';
import { sealPendingApplications } from './app/sealing/seal-pending';
import { openIssuedCertificate, sealIssuedCertificate } from './app/sealing/sealed-certificate';
import { readStorageStatus } from './app/storage-status';
import { submitApplication } from './app/submit-application';
import type { SyncProgress, SyncReport } from './app/sync-outbox';
import { applicationNumber, idPrefixOf, parseApplicationNumber } from './core/application/application-number';
import { pinProblems } from './core/officer/pin';
import { App } from './ui/App';
import type { KioskServices } from './ui/services';
import './ui/styles.css';
import type { ApplicationStatus } from './protocol/sync';

const outbox = openOutbox();
// The tamper-evident audit chain (issue 8), checkpoints signed with the device key.
const auditLog = openAuditLog(outbox);
const storage = makeStorageInspector();
// Ask once: without it the browser may evict the outbox under storage pressure.
const persisting = storage.persist();
const ektpReader = createEktpReader();
// Keys, CSRs, PBKDF2 and PKCS#12 run in their own worker: the form answers touches meanwhile.
const cryptoWorker = createCryptoWorkerClient();
// OpenCV and the OCR engines load in the background while the applicant starts on the form.
ektpReader.warmUp();
const progressListeners = new Set<(p: SyncProgress | null) => void>();
const reportListeners = new Set<(r: SyncReport) => void>();
// One signed client: sync and officer requests share what it learns of the server's clock.
const signedClient = createSignedClient(window.location.origin, outbox);
const transport = createHttpTransport(window.location.origin, outbox, { client: signedClient });
// Issue 8 guardrails: the server's minimum kiosk version, asked for at start, when the link comes
// back and after sync passes (at most every 5 minutes), and remembered so the block holds offline.
const KIOSK_VERSION = __KIOSK_VERSION__;
const POLICY_EVERY_MS = 5 * 60_000;
const policyTransport = createKioskPolicyTransport(window.location.origin, KIOSK_VERSION);
const policyListeners = new Set<() => void>();
let policyAskedAt = Number.NEGATIVE_INFINITY;
const refreshPolicy = async () => {
  policyAskedAt = Date.now();
  try {
    const result = await refreshKioskPolicy({ transport: policyTransport, policy: outbox, audit: auditLog });
    if (result.kind === 'heard') for (const l of policyListeners) l();
  } catch (err) {
    console.error(
      `remembering the kiosk policy failed: ${err instanceof Error ? err.name : 'unknown error'}`,
    );
  }
};
// Clear rows (from before the outbox sealed) are sealed at start and before every sync pass.
const sealPending = () =>
  sealPendingApplications({
    store: outbox,
    recipients: { policy: outbox, officers: () => officerKeys.list(), counterKey: outbox },
    nikHashKey: () => officerKeys.nikHashKey(),
  });
// Retention (issue 8): the blob and key material of acknowledged applications, once due, at start
// and after every sync pass; one `purged` audit event per run that deleted something.
const purgeListeners = new Set<(r: PurgeReport) => void>();
let lastPurge: PurgeReport | null = null;
const purge = async () => {
  try {
    const report = await purgeExpired({
      outbox,
      audit: auditLog,
      now: () => new Date(),
      graceHours: kioskConfig.retention.graceHours,
    });
    if (report.ids.length === 0) return;
    lastPurge = report;
    for (const l of purgeListeners) l(report);
  } catch (err) {
    console.error(`the retention purge failed: ${err instanceof Error ? err.name : 'unknown error'}`);
  }
};
// An issued certificate names the applicant: kept sealed like the application until handed over.
const keepStatus = async (status: ApplicationStatus) => {
  if (status.certificatePem === null) return status;
  const recipients = await sealRecipients({
    policy: outbox,
    officers: () => officerKeys.list(),
    counterKey: outbox,
  });
  return recipients.ok ? sealIssuedCertificate(status, recipients.value) : status;
};
const syncLoop = startSyncLoop(
  {
    outbox,
    sealPending,
    keepStatus,
    identity: outbox,
    transport,
    now: () => new Date(),
    random: Math.random,
    audit: auditLog,
    auditUpload: { trail: auditLog, transport: createAuditTransport(signedClient) },
  },
  {
    onProgress: (p) => {
      for (const l of progressListeners) l(p);
    },
    onDone: (report) => {
      void purge();
      for (const l of progressListeners) l(null);
      if (report) for (const l of reportListeners) l(report);
      if (report && Date.now() - policyAskedAt >= POLICY_EVERY_MS) void refreshPolicy();
    },
  },
);
void refreshPolicy();
void purge();
window.addEventListener('online', () => void refreshPolicy());

// RA officers (docs/officers.md): PIN-wrapped keys in their own database, one session at a time.
const officerKeys = new DexieOfficerKeyStore({ maxWrongPins: kioskConfig.officer.maxWrongPins });
void sealPending().catch((err: unknown) => {
  console.error(`sealing pending applications failed: ${err instanceof Error ? err.name : 'unknown error'}`);
});
const officerTransport = createOfficerHttpTransport(window.location.origin, outbox, { client: signedClient });
// Pasal 10: the official e-mail proven at the counter, over the same signed client.
const emailDeps: EmailConfirmationDeps = {
  transport: createEmailHttpTransport(window.location.origin, outbox, { client: signedClient }),
  identity: outbox,
  online: () => navigator.onLine,
  emailDomains: kioskConfig.emailDomains,
};
const officerPinPolicy = pinPolicy(kioskConfig);
const officerPinProblems = (pin: string) => pinProblems(pin, officerPinPolicy);
const officerSessions = createOfficerSessions({
  keys: officerKeys,
  audit: auditLog,
  idleSeconds: kioskConfig.officer.idleLockSeconds,
  // Issue 8: opens applications sealed while no officer was enrolled on this kiosk.
  kioskCounterKey: () => outbox.kioskCounterKey(),
});
// Locks the kiosk made after wrong PINs reach the server as soon as it is online.
const lockReporter = createLockReporter({
  keys: officerKeys,
  transport: officerTransport,
  identity: outbox,
  online: () => navigator.onLine,
  onError: (err) =>
    console.error(`reporting officer locks failed: ${err instanceof Error ? err.name : 'unknown error'}`),
});
void lockReporter.report();
window.addEventListener('online', () => void lockReporter.report());

const services: KioskServices = {
  config: kioskConfig,
  ektpReader,
  passphraseTools,
  regions,
  today() {
    const now = new Date();
    return { year: now.getFullYear(), month: now.getMonth() + 1, day: now.getDate() };
  },
  async submit(input, onStage) {
    const result = await submitApplication(input, {
      outbox,
      sealing: {
        recipients: { policy: outbox, officers: () => officerKeys.list(), counterKey: outbox },
        nikHashKey: () => officerKeys.nikHashKey(),
      },
      audit: auditLog,
      keyMaker: cryptoWorker,
      estimateStrength: (passphrase, userInputs) =>
        passphraseTools.estimateStrength(passphrase, userInputs, 'id'),
      now: () => new Date(),
      newId: () => crypto.randomUUID(),
      settings: {
        profiles: certificateProfiles,
        emailDomains: kioskConfig.emailDomains,
        passphrase: kioskConfig.passphrase,
        maxImageBytes: kioskConfig.ektpImage.maxBytes,
      },
      onStage,
      // The form shows the same list; the use case refuses again rather than trust the screen.
      completeness: completenessRules(kioskConfig),
    });
    // Saved locally first; sending is a separate, retryable step.
    if (result.ok) void syncLoop.trigger(false);
    return result;
  },
  newApplicationId: () => crypto.randomUUID(),
  email: {
    requestCode: (applicationId, email) => requestEmailCode({ applicationId, email }, emailDeps),
    verifyCode: (applicationId, email, typed) => verifyEmailCode({ applicationId, email, typed }, emailDeps),
  },
  subscribeOutbox: (listener, options) => outbox.subscribe(listener, options),
  async findByApplicationNumber(number) {
    const parsed = parseApplicationNumber(number);
    if (!parsed.ok) return null;
    // The number fixes the uuid's first 48 bits: the store finds the few ids that start with them.
    const candidates = await outbox.list({ idPrefix: idPrefixOf(parsed.value) });
    return candidates.find((item) => applicationNumber(item.id) === parsed.value) ?? null;
  },
  watchCaptureGuardrails: (listener) =>
    watchCaptureGuardrails(
      () =>
        checkCaptureGuardrails({
          outbox,
          policy: outbox,
          storage,
          storageThresholds: kioskConfig.storage,
          kioskVersion: KIOSK_VERSION,
          limits: kioskConfig.guardrails,
          now: () => new Date(),
        }),
      [
        (changed) => outbox.subscribe(changed, { limit: 1 }),
        (changed) => {
          policyListeners.add(changed);
          return () => policyListeners.delete(changed);
        },
        // The age limit and the free space change with time, not only with the outbox.
        (changed) => {
          const timer = window.setInterval(changed, 60_000);
          return () => window.clearInterval(timer);
        },
      ],
      listener,
      (err) =>
        console.error(`checking the guardrails failed: ${err instanceof Error ? err.name : 'unknown error'}`),
    ),
  async storageStatus() {
    // After the answer to the request, or the screen would say "not protected" for a moment; capped,
    // since a browser that asks the user (Firefox) answers only when the user does.
    await Promise.race([persisting, new Promise((resolve) => setTimeout(resolve, 1000))]);
    return readStorageStatus(storage, kioskConfig.storage);
  },
  enrollment: () => outbox.enrollment(),
  async enroll(code) {
    const result = await enrollKiosk(code, {
      identity: outbox,
      transport,
      now: () => new Date(),
      audit: auditLog,
    });
    // Whatever waited for the enrollment goes now.
    if (result.ok) void syncLoop.trigger(true);
    return result;
  },
  async precheckCertificate({ id, ...input }) {
    const item = await outbox.get(id);
    // Gone meanwhile: nothing to check the file against.
    if (item === null) return { ok: false, problem: 'csr-unreadable' };
    const keys = await keyMaterialOf(item);
    if (!keys?.request) return { ok: false, problem: 'csr-unreadable' };
    return precheckCertificate({ ...input, request: keys.request, now: new Date().toISOString() });
  },
  async issuedCertificate(id) {
    const item = await outbox.get(id);
    return openIssuedCertificate(item?.serverStatus, officerSessions.current()?.openingKeys() ?? []);
  },
  handOver: (input) =>
    handOver(input, {
      store: outbox,
      audit: auditLog,
      crypto: cryptoWorker,
      now: () => new Date(),
      maxWrongPassphrase: kioskConfig.handover.maxWrongPassphrase,
    }),
  unlockHandover: (id) => unlockHandover(outbox, id, new Date()),
  syncNow: () => syncLoop.trigger(true),
  onSyncProgress(listener) {
    progressListeners.add(listener);
    return () => progressListeners.delete(listener);
  },
  onSyncReport(listener) {
    reportListeners.add(listener);
    return () => reportListeners.delete(listener);
  },
  onPurgeReport(listener) {
    purgeListeners.add(listener);
    if (lastPurge) listener(lastPurge);
    return () => purgeListeners.delete(listener);
  },
  officer: {
    list: () => officerKeys.list(),
    pinProblems: officerPinProblems,
    enroll: (input) =>
      enrollOfficer(input, {
        keys: officerKeys,
        audit: auditLog,
        transport: officerTransport,
        identity: outbox,
        pinProblems: officerPinProblems,
        now: () => new Date(),
      }),
    async unlock(officerId, pin) {
      const result = await officerSessions.unlock(officerId, pin);
      // The account is locked everywhere once the server hears of it.
      if (!result.ok && result.problem === 'locked' && result.lockedNow) void lockReporter.report();
      return result;
    },
    current: () => officerSessions.current(),
    end: () => officerSessions.end(),
    async heldItem(id) {
      const item = await outbox.get(id);
      if (item?.state !== 'held') return null;
      return openAtCounter(item, officerSessions.current()?.openingKeys() ?? []);
    },
    async localNikMatches(application) {
      const [all, key] = await Promise.all([outbox.list(), officerKeys.nikHashKey()]);
      return localNikMatches(application, all, key);
    },
    async checkNikAtServer(nik) {
      if (!navigator.onLine) return { kind: 'offline' };
      // The transport gives up on the NIK check after 15 s: a timed-out request answers `offline`.
      return checkNikAtServer(nik, { keys: officerKeys, identity: outbox, transport: officerTransport });
    },
    async decide(input) {
      const result = await decideApplication(input, {
        outbox,
        audit: auditLog,
        session: () => officerSessions.current(),
        identity: outbox,
        rules: decisionRules(kioskConfig),
        now: () => new Date(),
      });
      // Decided means queued: it goes with the next pass, now if online.
      if (result.ok) void syncLoop.trigger(false);
      return result;
    },
    release: (ids) =>
      releaseApplications(ids, {
        outbox,
        audit: auditLog,
        session: () => officerSessions.current(),
        identity: outbox,
        transport: officerTransport,
        rules: { twoPersonRule: kioskConfig.twoPersonRule },
        now: () => new Date(),
      }),
  },
  // Renewal, revocation and incidents (Pasal 14, 15, 22, 24): officer-signed, online only.
  lifecycle: createLifecycleServices({
    transport: createLifecycleHttpTransport(window.location.origin, outbox, { client: signedClient }),
    log: new DexieRevocationLog(),
    session: () => officerSessions.current(),
    identity: outbox,
    keys: officerKeys,
    onLocked: () => void lockReporter.report(),
    now: () => new Date(),
    newId: () => crypto.randomUUID(),
  }),
};

const root = document.getElementById('root');
if (root) render(() => <App services={services} />, root);
