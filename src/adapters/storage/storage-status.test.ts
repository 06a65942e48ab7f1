import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeStorageInspector, type StorageManagerLike } from './storage-status';

describe('makeStorageInspector', () => {
  it('passes the browser figures through, called on the storage manager itself', async () => {
    const manager = {
      granted: true,
      async estimate() {
        return { usage: 1_000, quota: 10_000 };
      },
      async persisted() {
        return this.granted;
      },
      async persist() {
        return this.granted;
      },
    };
    const inspector = makeStorageInspector(manager);
    expect(await inspector.estimate()).toEqual({ usage: 1_000, quota: 10_000 });
    expect(await inspector.persisted()).toBe(true);
    expect(await inspector.persist()).toBe(true);
  });

  it.each<[string, StorageManagerLike | undefined]>([
    ['no navigator.storage (insecure context)', undefined],
    ['a storage manager without the methods', {}],
    [
      'methods that throw',
      {
        estimate: () => Promise.reject(new Error('denied')),
        persisted: () => Promise.reject(new Error('denied')),
        persist: () => Promise.reject(new DOMException('denied', 'SecurityError')),
      },
    ],
    ['an estimate without figures', { estimate: async () => ({}) }],
  ])('answers null, never throws, with %s', async (_, manager) => {
    const inspector = makeStorageInspector(manager);
    expect(await inspector.estimate()).toBeNull();
    expect(await inspector.persisted()).toBeNull();
    expect(await inspector.persist()).toBeNull();
  });

  it('reads navigator.storage by default, which Node does not have', async () => {
    expect(await makeStorageInspector().estimate()).toBeNull();

    // With a navigator.storage (a browser), its figures come back.
    vi.stubGlobal('navigator', {
      storage: {
        async estimate() {
          return { usage: 2_345, quota: 67_890 };
        },
        async persisted() {
          return false;
        },
      },
    });
    const inspector = makeStorageInspector();
    expect(await inspector.estimate()).toEqual({ usage: 2_345, quota: 67_890 });
    expect(await inspector.persisted()).toBe(false);
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });
});
