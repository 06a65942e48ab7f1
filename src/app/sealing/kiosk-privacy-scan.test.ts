/**
 * Issue 8's acceptance, the kiosk's IndexedDB after 100 applications: each captured through the real
 * use case (sealed to the RA archive and the one officer enrolled here), approved in an officer
 * session, synced to a stand-in server that acknowledges every record and opens the blobs with the
 * archive key to read the CSR, issued by a test CA (the kiosk pulls the status), and handed over as
 * PKCS#12 with the applicant's passphrase. The kiosk's real Dexie stores and its audit chain; then
 * every IndexedDB database is dumped (each row as JSON, its Blobs and byte fields on their own) and
 * scanned for every applicant's NIK, name (as typed and as the kiosk writes it), picture bytes,
 * passphrase and private key: before the handovers (the issued certificates kept sealed), right
 * after them, and again after the retention purge.
 *
 * Not here, on purpose: localStorage and Cache Storage do not exist under Node (vitest's
 * fake-indexeddb only stands in for IndexedDB); the browser's e2e scan covers them
 * (`tests/e2e/privacy-scan.spec.ts`), and the server's tables and log are
 * `tests/server/privacy-scan.test.ts`.
 */
import Dexie from 'dexie';
import * as pkijs from 'pkijs';
import { afterEach, describe, expect, it } from 'vitest';
import { makePerson } from '../../../tests/support/ektp';
import { APPROVING_RULES, fastProfiles, INDIVIDU_CHECKLIST } from '../../../tests/support/kiosk-fixtures';
import { type Haystack, type Needle, scanForPlaintext } from '../../../tests/support/plaintext-scan';
import { issueCertificate, makeTestCa } from '../../../tests/support/test-ca';
import { openAuditLog } from '../../adapters/db/audit-db';
import { openOutbox } from '../../adapters/db/outbox-db';
import { DexieOfficerKeyStore } from '../../adapters/officer/officer-key-store';
import type { ApplicationDraft } from '../../core/application/application';
import { verifyCsr } from '../../core/certificate/csr';
import { decryptPrivateKey } from '../../core/certificate/pkcs8';
import { fromPem, toPem } from '../../core/lib/pem';
import { decodeSealed, exportSealPublicKey, generateSealKeyPair } from '../../core/sealing/seal';
import { importNikHashKey } from '../../protocol/officer';
import { type ApplicationStatus, framedRecordSchema } from '../../protocol/sync';
import { handOver } from '../handover';
import { inProcessHandoverCrypto } from '../handover-crypto';
import { inProcessKeyMaker } from '../key-request';
import { kioskConfig } from '../kiosk-config';
import { decideApplication } from '../officer/decide-application';
import { createOfficerSessions } from '../officer/officer-session';
import { isSealedItem, type SyncTransport } from '../ports';
import { type SubmitInput, submitApplication } from '../submit-application';
import { syncOutbox } from '../sync-outbox';
import { keyMaterialOf } from './open-at-counter';
import { purgeExpired } from './purge-expired';
import { openSealedApplication, sealRecipients } from './seal-application';
import { openIssuedCertificate, sealIssuedCertificate } from './sealed-certificate';

const COUNT = 100;
const ITERATIONS = 1000;
const PIN = '285713';
/** The officer's own profile is kept in clear: a name no applicant here has. */
const OFFICER_NAMA = 'YOHANES WIRAWAN';
const KIOSK_ID = '6f1d2c3b-4a59-4e68-9d7c-8b0a1f2e3d4c';
const ARCHIVE_KEY_ID = 'archive-1';
const T0 = new Date('2026-11-25T08:00:00.000Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const GRACE_HOURS = kioskConfig.retention.graceHours;

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

const titleCase = (text: string) => text.toLowerCase().replace(/\b\p{L}/gu, (c) => c.toUpperCase());

/** No vowels: it can never hold a part of a name, which the passphrase rules refuse. */
function passphrase(): string {
  const letters = 'bcdfghjklmnpqrstvwxz';
  const groups = Array.from({ length: 4 }, () =>
    Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => letters[b % letters.length]).join(''),
  );
  return groups.join('-');
}

/** A PNG-typed picture no other application shares (the use case checks the type and size only). */
function picture(): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(4096);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  crypto.getRandomValues(bytes.subarray(8));
  return bytes;
}

interface Applicant {
  n: number;
  nik: string;
  nama: string;
  passphrase: string;
  picture: Uint8Array<ArrayBuffer>;
  input: SubmitInput;
  /** What must never be in the clear on the kiosk; the private key's are added once it is made. */
  needles: Needle[];
}

function applicant(n: number): Applicant {
  const person = makePerson(7000 + n);
  const secret = passphrase();
  const image = picture();
  const typed = titleCase(person.nama);
  const draft: ApplicationDraft = {
    certificateType: 'individu',
    nama: typed,
    nik: person.nik,
    nip: '',
    email: `pegawai.${7000 + n}@madiunkota.go.id`,
    perangkatDaerah: 'Dinas Komunikasi dan Informatika',
    jabatan: '',
    host: '',
  };
  const middle = image.length / 2;
  return {
    n,
    nik: person.nik,
    nama: person.nama,
    passphrase: secret,
    picture: image,
    input: {
      draft,
      image: new Blob([image], { type: 'image/png' }),
      ocrText: `NIK : ${person.nik}\nNama : ${person.nama}`,
      passphrase: secret,
      passphraseConfirmation: secret,
    },
    needles: [
      { name: `NIK #${n}`, value: person.nik },
      { name: `nama #${n}`, value: person.nama },
      { name: `nama #${n} (as typed)`, value: typed },
      { name: `e-KTP picture #${n}`, value: image.slice(middle, middle + 48) },
      { name: `passphrase #${n}`, value: secret },
    ],
  };
}

/** The EC private scalar alone: found even where the key sits in another container than PKCS#8. */
async function privateScalar(pkcs8: ArrayBuffer): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
  ]);
  const { d } = await crypto.subtle.exportKey('jwk', key);
  if (!d) throw new Error('no private scalar');
  return new Uint8Array(Buffer.from(d, 'base64url'));
}

interface Dump {
  /** The rows as JSON, then their binary parts. */
  haystacks: Haystack[];
  /** Each row as JSON (UTF-8). */
  rows: Haystack[];
  /** `database/table` of every table read, with its row count. */
  tables: Map<string, number>;
  /** The byte fields and Blobs, by where they were found. */
  binaries: Haystack[];
}

const encoder = new TextEncoder();

/** The row as JSON can show it; its binary parts listed on their own, as the e2e dump does. */
async function flatten(value: unknown, where: string, binaries: Haystack[]): Promise<unknown> {
  if (value instanceof Blob) {
    binaries.push({ where: `${where}:blob`, bytes: new Uint8Array(await value.arrayBuffer()) });
    return '[Blob]';
  }
  if (value instanceof ArrayBuffer) {
    binaries.push({ where: `${where}:bytes`, bytes: new Uint8Array(value) });
    return '[ArrayBuffer]';
  }
  if (ArrayBuffer.isView(value)) {
    binaries.push({
      where: `${where}:bytes`,
      bytes: new Uint8Array(value.buffer, value.byteOffset, value.byteLength),
    });
    return '[bytes]';
  }
  // Non-extractable on the kiosk: what a thief gets is a handle, not key bytes.
  if (value instanceof CryptoKey) return `[CryptoKey ${value.type}]`;
  if (Array.isArray(value)) return Promise.all(value.map((v, i) => flatten(v, `${where}[${i}]`, binaries)));
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && value !== null) {
    const entries: [string, unknown][] = [];
    for (const [k, v] of Object.entries(value))
      entries.push([k, await flatten(v, `${where}.${k}`, binaries)]);
    return Object.fromEntries(entries);
  }
  return value;
}

/** Every row of every IndexedDB database of this origin, as a thief with the profile reads them. */
async function dumpIndexedDb(): Promise<Dump> {
  const rows: Haystack[] = [];
  const binaries: Haystack[] = [];
  const tables = new Map<string, number>();
  for (const { name } of await indexedDB.databases()) {
    if (!name) continue;
    const raw = new Dexie(name);
    await raw.open();
    try {
      for (const table of raw.tables) {
        const all = await table.toArray();
        tables.set(`${name}/${table.name}`, all.length);
        for (const [k, row] of all.entries()) {
          const where = `indexeddb:${name}/${table.name} row ${k}`;
          const json = JSON.stringify(await flatten(row, where, binaries));
          rows.push({ where, bytes: encoder.encode(json) });
        }
      }
    } finally {
      raw.close();
    }
  }
  return { haystacks: [...rows, ...binaries], rows, tables, binaries };
}

/** Every row's JSON, one per line. */
const rowText = (dump: Dump) =>
  dump.rows
    .map((h) => (typeof h.bytes === 'string' ? h.bytes : Buffer.from(h.bytes).toString('utf8')))
    .join('\n');

describe('the kiosk after 100 applications (issue 8 acceptance)', () => {
  it('keeps no NIK, name, picture, passphrase or private key in the clear in any IndexedDB database', async () => {
    let clock = T0;
    const now = () => clock;
    const outboxName = `kiosk-${crypto.randomUUID()}`;
    const officersName = `officers-${crypto.randomUUID()}`;

    // The kiosk: outbox, audit chain (in the outbox database), enrollment, archive key, one officer
    // (with the RA's NIK-hash key, as enrollment brings it).
    const kiosk = openOutbox(outboxName);
    const audit = openAuditLog(kiosk, { name: outboxName, now });
    const officers = new DexieOfficerKeyStore({ databaseName: officersName, iterations: ITERATIONS, now });
    closers.push(() => officers.close());
    await kiosk.deviceKey();
    await kiosk.saveEnrollment({ kioskId: KIOSK_ID, name: 'Loket 1', enrolledAt: T0.toISOString() });
    const archive = await generateSealKeyPair();
    await kiosk.saveArchiveKey({
      keyId: ARCHIVE_KEY_ID,
      publicKeySpki: await exportSealPublicKey(archive.publicKey),
      createdAt: T0.toISOString(),
    });
    await officers.saveNikHashKey(
      await importNikHashKey(Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64')),
    );
    const profile = await officers.saveEnrollment(await officers.prepareKey(PIN), {
      officer: { id: crypto.randomUUID(), username: 'budi', nama: OFFICER_NAMA, nip: null, status: 'active' },
      keyId: crypto.randomUUID(),
      kioskId: KIOSK_ID,
      enrolledAt: T0.toISOString(),
    });
    const ca = await makeTestCa();

    const applicants = Array.from({ length: COUNT }, (_, n) => applicant(n));
    expect(new Set(applicants.map((a) => a.nik)).size).toBe(COUNT);
    expect(new Set(applicants.map((a) => a.nama)).size).toBeGreaterThan(COUNT * 0.9);
    expect(applicants.map((a) => a.nama)).not.toContain(OFFICER_NAMA);

    // The scan finds what it looks for: every needle is in the inputs as the form hands them over.
    const inputs: Haystack[] = applicants.flatMap((a) => [
      {
        where: `submit input #${a.n}`,
        bytes: JSON.stringify({ draft: a.input.draft, ocrText: a.input.ocrText, passphrase: a.passphrase }),
      },
      { where: `picture #${a.n}`, bytes: a.picture },
    ]);
    const inInputs = new Set(
      scanForPlaintext(
        inputs,
        applicants.flatMap((a) => a.needles),
      ).map((f) => f.needle),
    );
    expect(inInputs).toEqual(new Set(applicants.flatMap((a) => a.needles.map((n) => n.name))));

    // 1. Captured, sealed, through the real use case.
    const ids = new Map<string, Applicant>();
    for (const a of applicants) {
      clock = new Date(T0.getTime() + a.n * 1000);
      const id = crypto.randomUUID();
      const captured = await submitApplication(a.input, {
        outbox: kiosk,
        audit,
        sealing: {
          recipients: { policy: kiosk, officers: () => officers.list(), counterKey: kiosk },
          nikHashKey: () => officers.nikHashKey(),
        },
        keyMaker: inProcessKeyMaker,
        now,
        newId: () => id,
        settings: {
          profiles: fastProfiles(),
          emailDomains: kioskConfig.emailDomains,
          passphrase: kioskConfig.passphrase,
          maxImageBytes: kioskConfig.ektpImage.maxBytes,
        },
        pbkdf2Iterations: ITERATIONS,
      });
      expect(captured, `application #${a.n}`).toEqual({ ok: true, id });
      ids.set(id, a);
    }

    // 2. Approved at the counter in one officer session.
    clock = new Date(T0.getTime() + HOUR);
    const sessions = createOfficerSessions({
      keys: officers,
      audit,
      idleSeconds: 600,
      now: () => clock.getTime(),
      kioskCounterKey: () => kiosk.kioskCounterKey(),
    });
    const unlocked = await sessions.unlock(profile.officerId, PIN);
    if (!unlocked.ok) throw new Error(unlocked.problem);
    for (const id of ids.keys()) {
      const decided = await decideApplication(
        { applicationId: id, decision: 'approved', reasons: [], note: '', checklist: INDIVIDU_CHECKLIST },
        {
          outbox: kiosk,
          audit,
          session: () => sessions.current(),
          identity: kiosk,
          rules: APPROVING_RULES,
          now,
        },
      );
      expect(decided.ok, `decision on ${id}`).toBe(true);
    }
    sessions.end();

    // 3-4. The stand-in server: acknowledges every record, keeps its blob, and when asked for
    // statuses opens the blob with the archive key and has the CA certify the CSR's key and subject.
    const received = new Map<string, Uint8Array>();
    const opened = new Map<string, string>();
    const sentCertificates: Haystack[] = [];
    const issue = async (id: string): Promise<ApplicationStatus> => {
      const blob = received.get(id);
      if (!blob) throw new Error(`the server never received ${id}`);
      const open = await openSealedApplication(blob, id, [{ keyId: ARCHIVE_KEY_ID, ...archive }]);
      if (!open.ok) throw new Error(`the archive does not open ${id}: ${open.problem}`);
      const record = framedRecordSchema.parse(open.value.record);
      opened.set(id, record.applicant.nik);
      const csr = await verifyCsr(record.csrPem);
      const der = fromPem('CERTIFICATE REQUEST', record.csrPem);
      if (!csr.ok || !der) throw new Error(`unreadable CSR in ${id}`);
      const certificate = await issueCertificate({
        subject: csr.value.subject,
        publicKey: await pkijs.CertificationRequest.fromBER(der).getPublicKey(),
        issuer: ca,
        notBefore: new Date(T0.getTime() - DAY),
        notAfter: new Date(T0.getTime() + 365 * DAY),
      });
      const certificatePem = toPem('CERTIFICATE', certificate.toSchema().toBER(false));
      sentCertificates.push({ where: `certificate sent for ${id}`, bytes: certificatePem });
      return {
        id,
        state: 'issued',
        changedAt: new Date(T0.getTime() + 2 * HOUR).toISOString(),
        certificatePem,
        reason: null,
        emailConfirmed: true,
      };
    };
    const transport: SyncTransport = {
      async sendBatch(batch) {
        for (const [index, record] of batch.records.entries()) {
          const [blob] = batch.files[index] ?? [];
          if (blob) received.set(record.id, blob);
        }
        return {
          kind: 'response',
          status: 200,
          body: { results: batch.records.map((r, index) => ({ id: r.id, index, status: 'stored' })) },
        };
      },
      async fetchStatuses(request) {
        const statuses: ApplicationStatus[] = [];
        for (const id of request.ids) statuses.push(await issue(id));
        return { kind: 'response', status: 200, body: { statuses, unknown: [] } };
      },
    };
    // The kiosk keeps a pulled certificate as main.tsx does: sealed like the application.
    const keepStatus = async (status: ApplicationStatus) => {
      const recipients = await sealRecipients({
        policy: kiosk,
        officers: () => officers.list(),
        counterKey: kiosk,
      });
      if (!recipients.ok) throw new Error(recipients.problem);
      return sealIssuedCertificate(status, recipients.value);
    };
    const sync = (options: { pull?: boolean } = {}) =>
      syncOutbox(
        { outbox: kiosk, identity: kiosk, transport, now, random: () => 0.5, audit, keepStatus },
        options,
      );

    clock = new Date(T0.getTime() + HOUR + MINUTE);
    expect(await sync()).toMatchObject({ synced: COUNT, remaining: 0, error: null, credentials: null });
    expect(received.size).toBe(COUNT);
    // Pulled on a later pass: the kiosk asks about every delivered application still waiting.
    clock = new Date(T0.getTime() + 3 * HOUR);
    expect(await sync({ pull: true })).toMatchObject({ synced: 0, updated: COUNT, error: null });
    // The archive opened every blob, and each carried its applicant.
    expect(opened.size).toBe(COUNT);
    for (const [id, nik] of opened) expect(nik).toBe(ids.get(id)?.nik);

    // Until it is handed over the kiosk holds the issued certificate, which names the applicant (its
    // CN), sealed: the scan finds each name in the certificates as the server sent them, and
    // nothing in the kiosk's databases.
    const beforeHandover = await dumpIndexedDb();
    const allNeedles = () => applicants.flatMap((a) => a.needles);
    const inSent = new Set(scanForPlaintext(sentCertificates, allNeedles()).map((f) => f.needle));
    for (const a of applicants)
      expect(inSent.has(`nama #${a.n}`), `nama #${a.n} in its certificate`).toBe(true);
    expect(scanForPlaintext(beforeHandover.haystacks, allNeedles())).toEqual([]);

    // 5. Handed over with the applicant's passphrase and the certificate the kiosk pulled. The
    // private key is read first (with the passphrase, as the handover does) to be looked for.
    clock = new Date(T0.getTime() + 4 * HOUR);
    const handing = await sessions.unlock(profile.officerId, PIN);
    if (!handing.ok) throw new Error(handing.problem);
    for (const [id, a] of ids) {
      const item = await kiosk.get(id);
      if (!item || !isSealedItem(item)) throw new Error(`${id} is not sealed`);
      const keys = await keyMaterialOf(item);
      if (!keys) throw new Error(`${id} has no key material`);
      const pkcs8 = await decryptPrivateKey(keys.encryptedPrivateKeyPem, a.passphrase);
      if (!pkcs8.ok) throw new Error(`the key of ${id} does not open: ${pkcs8.problem}`);
      a.needles.push(
        { name: `private key #${a.n} (PKCS#8)`, value: new Uint8Array(pkcs8.value) },
        { name: `private key #${a.n} (scalar)`, value: await privateScalar(pkcs8.value) },
      );
      // Opened in memory with the session of the officer who hands it over.
      const issued = await openIssuedCertificate(item.serverStatus, handing.value.openingKeys());
      if (issued.kind !== 'text') throw new Error(`${id}: the certificate does not open (${issued.kind})`);
      const certificateText = issued.pem;
      const handed = await handOver(
        {
          id,
          passphrase: a.passphrase,
          certificateText,
          chainText: toPem('CERTIFICATE', ca.certificate.toSchema().toBER(false)),
          form: 'modern',
        },
        {
          store: kiosk,
          audit,
          crypto: inProcessHandoverCrypto,
          now,
          maxWrongPassphrase: 3,
          pbkdf2Iterations: ITERATIONS,
        },
      );
      expect(handed.ok, `handover of #${a.n}`).toBe(true);
    }
    // The scan finds a private key, PEM-armoured inside JSON, and its scalar within it.
    const clearKeys: Haystack[] = applicants.map((a) => {
      const der = a.needles.find((n) => n.name === `private key #${a.n} (PKCS#8)`)?.value;
      if (!(der instanceof Uint8Array)) throw new Error('no key needle');
      return { where: `clear key #${a.n}`, bytes: JSON.stringify({ key: toPem('PRIVATE KEY', der) }) };
    });
    const inClearKeys = new Set(
      scanForPlaintext(clearKeys, allNeedles())
        .filter((f) => f.where.endsWith('(PEM PRIVATE KEY)'))
        .map((f) => f.needle),
    );
    expect(inClearKeys.size).toBe(2 * COUNT);

    // 6a. Right after the handovers, before any purge: no needle anywhere.
    const afterHandover = await dumpIndexedDb();
    for (const table of [
      `${outboxName}/applications`,
      `${outboxName}/attachments`,
      `${outboxName}/audit`,
      `${outboxName}/auditCheckpoints`,
      `${outboxName}/device`,
      `${outboxName}/meta`,
      `${officersName}/officers`,
      `${officersName}/secrets`,
    ])
      expect(afterHandover.tables.get(table), table).toBeGreaterThan(0);
    // What is scanned still holds every sealed blob (archive only) and every key, encrypted.
    const blobs = afterHandover.binaries.filter(
      (h) => h.bytes instanceof Uint8Array && decodeSealed(h.bytes).ok,
    );
    expect(blobs).toHaveLength(COUNT);
    for (const { bytes } of blobs) {
      const decoded = bytes instanceof Uint8Array ? decodeSealed(bytes) : null;
      expect(decoded?.ok && decoded.value.header.recipients.map((r) => r.keyId)).toEqual([ARCHIVE_KEY_ID]);
    }
    expect(rowText(afterHandover).match(/BEGIN ENCRYPTED PRIVATE KEY/g)).toHaveLength(COUNT);
    expect(scanForPlaintext(afterHandover.haystacks, allNeedles())).toEqual([]);

    // Within the grace period retention deletes nothing.
    const early = await purgeExpired({ outbox: kiosk, audit, now, graceHours: GRACE_HOURS });
    expect(early).toMatchObject({ ids: [], sealedBlobs: 0, privateKeys: 0 });

    // 6b. Past the grace period after the handovers: the blobs and the key material are gone.
    clock = new Date(clock.getTime() + GRACE_HOURS * HOUR + MINUTE);
    const purged = await purgeExpired({ outbox: kiosk, audit, now, graceHours: GRACE_HOURS });
    expect(purged.ids).toHaveLength(COUNT);
    expect(purged).toMatchObject({ sealedBlobs: COUNT, privateKeys: COUNT });
    for (const summary of await kiosk.list())
      expect(summary).toMatchObject({ sealedBytes: 0, hasKeyMaterial: false, state: 'synced' });

    const afterPurge = await dumpIndexedDb();
    expect(
      afterPurge.binaries.filter((h) => h.bytes instanceof Uint8Array && decodeSealed(h.bytes).ok),
    ).toEqual([]);
    expect(rowText(afterPurge)).not.toContain('ENCRYPTED PRIVATE KEY');
    expect(rowText(afterPurge)).toContain('"type":"purged"');
    expect(scanForPlaintext(afterPurge.haystacks, allNeedles())).toEqual([]);
    // The audit chain the scan read is whole.
    expect(await audit.verify()).toEqual([]);
  }, 60_000);
});
