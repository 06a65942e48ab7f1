import type { Page } from '@playwright/test';

/** One place the page keeps data, with everything in it as bytes (text as UTF-8). */
export interface StoredPlace {
  /** e.g. `indexeddb:sertel-kiosk/applications`, `cache:workbox-precache…`, `localStorage`. */
  where: string;
  bytes: Buffer;
}

/**
 * Everything the kiosk's origin keeps: every IndexedDB database and object store (rows as JSON,
 * Blobs and binary fields as their raw bytes), every Cache Storage entry's body, and
 * localStorage. What a thief with a copy of the browser profile would have, minus the keys'
 * secret halves (non-extractable: they show as `[CryptoKey]`).
 */
export async function dumpBrowserStorage(page: Page): Promise<StoredPlace[]> {
  const places = await page.evaluate(async () => {
    const out: { where: string; base64: string }[] = [];
    const toBase64 = (bytes: Uint8Array) => {
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000)
        binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(binary);
    };
    const text = (s: string) => toBase64(new TextEncoder().encode(s));
    // Binary parts are listed on their own, beside the JSON of the row that holds them.
    const flatten = async (value: unknown, where: string): Promise<unknown> => {
      if (value instanceof Blob) {
        out.push({ where: `${where}:blob`, base64: toBase64(new Uint8Array(await value.arrayBuffer())) });
        return '[Blob]';
      }
      if (value instanceof ArrayBuffer) {
        out.push({ where: `${where}:bytes`, base64: toBase64(new Uint8Array(value)) });
        return '[ArrayBuffer]';
      }
      if (ArrayBuffer.isView(value)) {
        const view = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
        out.push({ where: `${where}:bytes`, base64: toBase64(view) });
        return '[bytes]';
      }
      if (typeof CryptoKey !== 'undefined' && value instanceof CryptoKey) return '[CryptoKey]';
      if (Array.isArray(value)) return Promise.all(value.map((v, i) => flatten(v, `${where}[${i}]`)));
      if (typeof value === 'object' && value !== null) {
        const entries = await Promise.all(
          Object.entries(value).map(async ([k, v]) => [k, await flatten(v, `${where}.${k}`)] as const),
        );
        return Object.fromEntries(entries);
      }
      return value;
    };
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(info.name as string);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      for (const storeName of Array.from(db.objectStoreNames)) {
        const rows = await new Promise<unknown[]>((resolve, reject) => {
          const request = db.transaction(storeName, 'readonly').objectStore(storeName).getAll();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        const where = `indexeddb:${info.name}/${storeName}`;
        const json = JSON.stringify(await flatten(rows, where));
        out.push({ where, base64: text(json) });
      }
      db.close();
    }
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        const response = await cache.match(request);
        if (!response) continue;
        out.push({
          where: `cache:${name}:${new URL(request.url).pathname}`,
          base64: toBase64(new Uint8Array(await response.arrayBuffer())),
        });
      }
    }
    const local: Record<string, string | null> = {};
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key !== null) local[key] = localStorage.getItem(key);
    }
    out.push({ where: 'localStorage', base64: text(JSON.stringify(local)) });
    const session: Record<string, string | null> = {};
    for (let i = 0; i < sessionStorage.length; i++) {
      const key = sessionStorage.key(i);
      if (key !== null) session[key] = sessionStorage.getItem(key);
    }
    out.push({ where: 'sessionStorage', base64: text(JSON.stringify(session)) });
    return out;
  });
  return places.map(({ where, base64 }) => ({ where, bytes: Buffer.from(base64, 'base64') }));
}
