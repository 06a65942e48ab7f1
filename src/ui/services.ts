import type { KioskConfig } from '../app/kiosk-config';
import type { OcrEngine, OutboxItem } from '../app/ports';
import type { SubmitInput, SubmitProblem, SubmitStage } from '../app/submit-application';
import type { SyncProgress, SyncReport } from '../app/sync-outbox';

/** What the screens may do; the composition root (main.tsx) provides the real adapters. */
export interface KioskServices {
  config: KioskConfig;
  ocr: OcrEngine;
  submit(
    input: SubmitInput,
    onStage: (stage: SubmitStage) => void,
  ): Promise<{ ok: true; id: string } | { ok: false; problem: SubmitProblem }>;
  subscribeOutbox(listener: (items: OutboxItem[]) => void): () => void;
  syncNow(): Promise<SyncReport | null>;
  onSyncProgress(listener: (p: SyncProgress | null) => void): () => void;
}
