import type { SyncTransport, TransportResult } from '../../app/ports';
import { SYNC_BATCHES_PATH } from '../../protocol/sync';

export function createHttpTransport(baseUrl: string, timeoutMs = 60_000): SyncTransport {
  return {
    async sendBatch(batch): Promise<TransportResult> {
      let response: Response;
      try {
        response = await fetch(new URL(SYNC_BATCHES_PATH, baseUrl), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(batch),
          signal: AbortSignal.timeout(timeoutMs),
          cache: 'no-store',
        });
      } catch (err) {
        return { kind: 'network-error', message: err instanceof Error ? err.message : String(err) };
      }
      let body: unknown = null;
      try {
        body = await response.json();
      } catch {
        body = null;
      }
      return { kind: 'response', status: response.status, body };
    },
  };
}
