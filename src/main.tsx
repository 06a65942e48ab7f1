/* Composition root: the only place that builds adapters and hands them to the app. */
import { render } from 'solid-js/web';
import regions from '../config/regions.json';
import { createCryptoWorkerClient } from './adapters/crypto/crypto-worker-client';
import { openOutbox } from './adapters/db/outbox-db';
import { createEktpReader } from './adapters/ocr/ektp-reader';
import { passphraseTools } from './adapters/passphrase/strength';
import { makeStorageInspector } from './adapters/storage/storage-status';
import { createHttpTransport } from './adapters/sync/http-transport';
import { startSyncLoop } from './adapters/sync/sync-loop';
import { certificateProfiles } from './app/certificate-profiles';
import { enrollKiosk } from './app/enroll-kiosk';
import { handOver, unlockHandover } from './app/handover';
import { precheckCertificate } from './app/handover-crypto';
import { kioskConfig } from './app/kiosk-config';
import { readStorageStatus } from './app/storage-status';
import { submitApplication } from './app/submit-application';
import type { SyncProgress, SyncReport } from './app/sync-outbox';
import { App } from './ui/App';
import type { KioskServices } from './ui/services';
import './ui/styles.css';

const outbox = openOutbox();
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
const transport = createHttpTransport(window.location.origin, outbox);
const syncLoop = startSyncLoop(
  {
    outbox,
    identity: outbox,
    transport,
    now: () => new Date(),
    random: Math.random,
  },
  {
    onProgress: (p) => {
      for (const l of progressListeners) l(p);
    },
    onDone: (report) => {
      for (const l of progressListeners) l(null);
      if (report) for (const l of reportListeners) l(report);
    },
  },
);

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
    });
    // Saved locally first; sending is a separate, retryable step.
    if (result.ok) void syncLoop.trigger(false);
    return result;
  },
  subscribeOutbox: (listener, options) => outbox.subscribe(listener, options),
  async storageStatus() {
    // After the answer to the request, or the screen would say "not protected" for a moment; capped,
    // since a browser that asks the user (Firefox) answers only when the user does.
    await Promise.race([persisting, new Promise((resolve) => setTimeout(resolve, 1000))]);
    return readStorageStatus(storage, kioskConfig.storage);
  },
  enrollment: () => outbox.enrollment(),
  async enroll(code) {
    const result = await enrollKiosk(code, { identity: outbox, transport, now: () => new Date() });
    // Whatever waited for the enrollment goes now.
    if (result.ok) void syncLoop.trigger(true);
    return result;
  },
  precheckCertificate: (input) => precheckCertificate({ ...input, now: new Date().toISOString() }),
  handOver: (input) =>
    handOver(input, {
      store: outbox,
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
};

const root = document.getElementById('root');
if (root) render(() => <App services={services} />, root);
