import type { EktpReader } from '../adapters/ocr/ektp-reader';
import type { KioskConfig } from '../app/kiosk-config';
import type { OutboxItem } from '../app/ports';
import type { SubmitInput, SubmitProblem, SubmitStage } from '../app/submit-application';
import type { SyncProgress, SyncReport } from '../app/sync-outbox';
import type { RegionTable } from '../core/identity/regions';
import type { CalendarDate } from '../core/lib/dates';

/** What the screens may do; the composition root (main.tsx) provides the real adapters. */
export interface KioskServices {
  config: KioskConfig;
  ektpReader: EktpReader;
  regions: RegionTable;
  today(): CalendarDate;
  submit(
    input: SubmitInput,
    onStage: (stage: SubmitStage) => void,
  ): Promise<{ ok: true; id: string } | { ok: false; problem: SubmitProblem }>;
  subscribeOutbox(listener: (items: OutboxItem[]) => void): () => void;
  syncNow(): Promise<SyncReport | null>;
  onSyncProgress(listener: (p: SyncProgress | null) => void): () => void;
}
