/* Composition root: the only place that builds adapters and hands them to the app. */
import { render } from 'solid-js/web';
import regions from '../config/regions.json';
import { openOutbox } from './adapters/db/outbox-db';
import { createEktpReader } from './adapters/ocr/ektp-reader';
import { createHttpTransport } from './adapters/sync/http-transport';
import { startSyncLoop } from './adapters/sync/sync-loop';
import { kioskConfig } from './app/kiosk-config';
import { submitApplication } from './app/submit-application';
import type { SyncProgress } from './app/sync-outbox';
import { App } from './ui/App';
import type { KioskServices } from './ui/services';
import './ui/styles.css';

const outbox = openOutbox();
const ektpReader = createEktpReader();
// OpenCV and the OCR engines load in the background while the applicant starts on the form.
ektpReader.warmUp();
const progressListeners = new Set<(p: SyncProgress | null) => void>();
const syncLoop = startSyncLoop(
  {
    outbox,
    transport: createHttpTransport(window.location.origin),
    now: () => new Date(),
    random: Math.random,
  },
  {
    onProgress: (p) => {
      for (const l of progressListeners) l(p);
    },
    onDone: () => {
      for (const l of progressListeners) l(null);
    },
  },
);

const services: KioskServices = {
  config: kioskConfig,
  ektpReader,
  regions,
  today() {
    const now = new Date();
    return { year: now.getFullYear(), month: now.getMonth() + 1, day: now.getDate() };
  },
  async submit(input, onStage) {
    const result = await submitApplication(input, {
      outbox,
      now: () => new Date(),
      newId: () => crypto.randomUUID(),
      settings: {
        organisation: kioskConfig.organisation,
        emailDomains: kioskConfig.emailDomains,
        keyAlgorithm: kioskConfig.keyAlgorithm,
        passphrase: kioskConfig.passphrase,
        maxImageBytes: kioskConfig.ektpImage.maxBytes,
      },
      onStage,
    });
    // Saved locally first; sending is a separate, retryable step.
    if (result.ok) void syncLoop.trigger(false);
    return result;
  },
  subscribeOutbox: (listener) => outbox.subscribe(listener),
  syncNow: () => syncLoop.trigger(true),
  onSyncProgress(listener) {
    progressListeners.add(listener);
    return () => progressListeners.delete(listener);
  },
};

// Ask once: without it the browser may evict the outbox under storage pressure.
void navigator.storage?.persist?.();

const root = document.getElementById('root');
if (root) render(() => <App services={services} />, root);
