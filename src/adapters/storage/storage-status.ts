import type { StorageEstimate, StorageInspector } from '../../app/ports';

/** The parts of `StorageManager` the kiosk uses; all optional, since not every context has them. */
export interface StorageManagerLike {
  estimate?: () => Promise<{ usage?: number; quota?: number }>;
  persisted?: () => Promise<boolean>;
  persist?: () => Promise<boolean>;
}

/**
 * `navigator.storage` behind the `StorageInspector` port. Without a secure context (a kiosk reaching
 * the server by LAN address over plain http) there is no `navigator.storage`: every answer is null,
 * never an exception, and the outbox screen says the figures are unknown.
 */
export function makeStorageInspector(
  storage: StorageManagerLike | undefined = globalThis.navigator?.storage,
): StorageInspector {
  const ask = async <T>(question: (() => Promise<T>) | undefined): Promise<T | null> => {
    if (!question) return null;
    try {
      return await question.call(storage);
    } catch {
      // A browser that refuses to answer (private mode, a policy) counts as not saying.
      return null;
    }
  };
  return {
    async estimate(): Promise<StorageEstimate | null> {
      const answer = await ask(storage?.estimate);
      if (typeof answer?.usage !== 'number' || typeof answer.quota !== 'number') return null;
      return { usage: answer.usage, quota: answer.quota };
    },
    persisted: () => ask(storage?.persisted),
    persist: () => ask(storage?.persist),
  };
}
