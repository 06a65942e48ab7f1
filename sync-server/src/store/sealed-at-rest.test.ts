/**
 * Personal data at rest (issue 8, Pasal 11 ayat 4): after applications are stored, no table (and,
 * on SQLite, no byte of the database file) holds a NIK, a name, the e-KTP picture, a paper, the
 * OCR text or the encrypted private key; rows stored in the clear by an older server are sealed by
 * the next start. Reading an application gives it back whole. The issued certificate (its subject
 * names the person) is sealed too, and still handed to the kiosk by the status pull.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, inject, test } from 'vitest';
import { makeApplication } from '../../../tests/support/applications';
import { makeOpensslCa, type OpensslCa, openssl } from '../../../tests/support/openssl-ca';
import {
  dumpPostgres,
  dumpSqlite,
  type Haystack,
  type Needle,
  scanForPlaintext,
} from '../../../tests/support/plaintext-scan';
import { createScratchDatabase } from '../../../tests/support/postgres';
import { storeRevocation } from '../../../tests/support/store-revocations';
import { createArchiveSealer } from '../archive/archive-sealer';
import { openStore, SQLITE_FILE_NAME } from './open';
import type { NewApplication, Store } from './store';

interface Target {
  kind: 'sqlite' | 'postgres';
  open(): Promise<Store>;
  dump(): Promise<Haystack[]>;
  /** Writes a row the way a server before the sealed archive did. */
  rawExec(statement: string, params: unknown[]): Promise<void>;
  /** Reads rows as they are stored, past the store. */
  rawQuery(statement: string, params: unknown[]): Promise<Record<string, unknown>[]>;
  dispose(): Promise<void>;
}

async function sqliteTarget(): Promise<Target> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sertel-at-rest-'));
  const file = join(dataDir, SQLITE_FILE_NAME);
  return {
    kind: 'sqlite',
    open: () => openStore({ dataDir }),
    dump: async () => dumpSqlite(file),
    rawExec: async (statement, params) => {
      const db = new Database(file);
      try {
        db.prepare(statement.replaceAll(/\$\d+/g, '?')).run(...params);
      } finally {
        db.close();
      }
    },
    rawQuery: async (statement, params) => {
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare(statement.replaceAll(/\$\d+/g, '?')).all(...params) as Record<string, unknown>[];
      } finally {
        db.close();
      }
    },
    dispose: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

async function postgresTarget(adminUrl: string): Promise<Target> {
  const database = await createScratchDatabase(adminUrl, 'at_rest');
  const pg = await import('pg');
  return {
    kind: 'postgres',
    open: () =>
      openStore({ databaseUrl: database.url, dataDir: join(tmpdir(), `sertel-unused-${randomUUID()}`) }),
    dump: () => dumpPostgres(database.url),
    rawExec: async (statement, params) => {
      const client = new pg.default.Client({ connectionString: database.url });
      await client.connect();
      try {
        await client.query(statement, params);
      } finally {
        await client.end();
      }
    },
    rawQuery: async (statement, params) => {
      const client = new pg.default.Client({ connectionString: database.url });
      await client.connect();
      try {
        return (await client.query<Record<string, unknown>>(statement, params)).rows;
      } finally {
        await client.end();
      }
    },
    dispose: database.drop,
  };
}

const databaseUrl = inject('databaseUrl');
const targets: { kind: string; make: () => Promise<Target> }[] = [
  { kind: 'sqlite', make: sqliteTarget },
  ...(databaseUrl === null ? [] : [{ kind: 'postgres', make: () => postgresTarget(databaseUrl) }]),
];

/** A person whose every identifying value is distinctive enough to be found anywhere. */
function person(n: number) {
  const nik = `35770145019${String(10000 + n).slice(-5)}`;
  const nama = `Wulandari Kusumaningtyas ${['Alpha', 'Beta', 'Gamma', 'Delta'][n % 4]}${n}`;
  const picture = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(4096)]);
  const paper = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(2048)]);
  const keyBody = randomBytes(600).toString('base64');
  const application: NewApplication = makeApplication({
    nama,
    nik,
    nip: `19850101201001${String(1000 + n).slice(-4)}`,
    ektpImage: picture,
    attachments: [{ kind: 'sk-pengangkatan', mediaType: 'application/pdf', data: paper }],
    ocrText: `NIK : ${nik}\nNama : ${nama.toUpperCase()}`,
    ektpJson: JSON.stringify({ fields: { nik, nama } }),
    encryptedPrivateKeyPem: `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${keyBody}\n-----END ENCRYPTED PRIVATE KEY-----\n`,
    mobile: `+62812${String(1000000 + n).slice(-7)}`,
  });
  const needles: Needle[] = [
    { name: `NIK ${n}`, value: nik },
    { name: `nama ${n}`, value: nama },
    { name: `NAMA ${n}`, value: nama.toUpperCase() },
    { name: `NIP ${n}`, value: application.nip ?? '' },
    { name: `mobile ${n}`, value: application.mobile ?? '' },
    { name: `e-KTP bytes ${n}`, value: picture.subarray(100, 164) },
    { name: `paper bytes ${n}`, value: paper.subarray(100, 164) },
    { name: `private key ${n}`, value: keyBody.slice(0, 64) },
  ];
  return { application, needles };
}

describe.each(targets)('$kind store: personal data sealed at rest', ({ make }) => {
  let target: Target;
  let store: Store | undefined;

  afterEach(async () => {
    await store?.close();
    store = undefined;
    await target.dispose();
  });

  test('no table holds a NIK, a name, the picture, a paper or the private key; reads give them back', async () => {
    target = await make();
    store = await target.open();
    const people = Array.from({ length: 5 }, (_, n) => person(n));
    expect(
      await store.insertApplications(
        people.map((p) => p.application),
        '2026-11-26T03:00:00.000Z',
      ),
    ).toEqual(people.map(() => 'stored'));
    for (const { application } of people) {
      const back = await store.getApplication(application.id);
      expect(back?.nik).toBe(application.nik);
      expect(back?.nama).toBe(application.nama);
      expect(Buffer.compare(back?.ektpImage ?? new Uint8Array(), application.ektpImage)).toBe(0);
      expect(back?.attachments?.map((a) => Buffer.from(a.data).toString('hex'))).toEqual(
        application.attachments?.map((a) => Buffer.from(a.data).toString('hex')),
      );
      expect(back?.encryptedPrivateKeyPem).toBe(application.encryptedPrivateKeyPem);
      expect(back?.mobile).toBe(application.mobile);
    }
    const needles = people.flatMap((p) => p.needles);
    // The scan finds what is there: a haystack with a needle in it is reported.
    expect(
      scanForPlaintext([{ where: 'probe', bytes: `x${people[0]?.application.nik}x` }], needles),
    ).toHaveLength(1);
    expect(scanForPlaintext(await target.dump(), needles)).toEqual([]);
  });

  test("a revocation request's papers are sealed too, and read back whole", async () => {
    target = await make();
    store = await target.open();
    const { application } = person(3);
    await store.insertApplications([application], '2026-11-26T03:00:00.000Z');
    const meta = { at: '2026-11-26T03:00:00.000Z', actor: 'ca' };
    await store.recordOutcome(application.id, { state: 'sent-to-ca' }, meta);
    await store.recordOutcome(
      application.id,
      {
        state: 'issued',
        certificatePem: 'PEM',
        notAfter: '2028-11-26T03:00:00.000Z',
        serialNumberHex: 'AB12',
      },
      meta,
    );
    const policeReport = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(3000)]);
    const requestId = randomUUID();
    await store.recordRevocation(
      storeRevocation({
        requestId,
        applicationId: application.id,
        serialNumberHex: 'AB12',
        reason: 'keyCompromise',
        requestedAt: '2026-11-27T03:00:00.000Z',
        receivedAt: '2026-11-27T03:00:00.000Z',
        attachments: [{ kind: 'police-report', mediaType: 'application/pdf', data: policeReport }],
      }),
    );
    const papers = await store.getRevocationAttachments(requestId);
    expect(papers.map((p) => [p.kind, Buffer.compare(p.data, policeReport)])).toEqual([['police-report', 0]]);
    const needle = { name: 'police report bytes', value: policeReport.subarray(200, 264) };
    expect(scanForPlaintext(await target.dump(), [needle])).toEqual([]);
  });

  test('rows stored in the clear by an older server are sealed at the next start', async () => {
    target = await make();
    store = await target.open();
    await store.close();
    store = undefined;
    const { application, needles } = person(7);
    await target.rawExec(
      `insert into applications (id, kiosk_id, created_at, received_at, certificate_type, nama, nik, nip, email,
        perangkat_daerah, ocr_text, csr_pem, encrypted_private_key_pem, content_hash, state_changed_at, mobile)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [
        application.id,
        application.kioskId,
        application.createdAt,
        '2026-01-02T03:04:05.000Z',
        application.certificateType,
        application.nama,
        application.nik,
        application.nip,
        application.email,
        application.perangkatDaerah,
        application.ocrText,
        application.csrPem,
        application.encryptedPrivateKeyPem,
        application.contentHash,
        '2026-01-02T03:04:05.000Z',
        application.mobile,
      ],
    );
    await target.rawExec(
      'insert into application_attachments (application_id, kind, media_type, data) values ($1, $2, $3, $4)',
      [application.id, 'ektp', application.ektpMediaType, Buffer.from(application.ektpImage)],
    );
    const before = scanForPlaintext(await target.dump(), needles);
    expect(before.length).toBeGreaterThan(0);

    store = await target.open();
    const back = await store.getApplication(application.id);
    expect([back?.nama, back?.nik, back?.mobile]).toEqual([
      application.nama,
      application.nik,
      application.mobile,
    ]);
    expect(Buffer.compare(back?.ektpImage ?? new Uint8Array(), application.ektpImage)).toBe(0);
    await store.close();
    store = undefined;
    // Tables only: a file may keep freed pages until they are reused (SQLite zeroes them, see sqlite.ts).
    const tables = (await target.dump()).filter((h) => h.where.startsWith('table'));
    expect(scanForPlaintext(tables, needles)).toEqual([]);
  });
});

/** A certificate naming the person, as the CA returns it: the leaf, then its issuer. */
function certificateFor(ca: OpensslCa, nama: string): { text: string; sha256: string; serial: string } {
  const leaf = ca.issueForOtherKey(`/C=ID/O=Pemerintah Kota Madiun/CN=${nama}`);
  const fingerprint = openssl(['x509', '-noout', '-fingerprint', '-sha256'], leaf).out.trim();
  const serial = openssl(['x509', '-noout', '-serial'], leaf).out.trim();
  return {
    text: `${leaf}${ca.certificatePem}`,
    sha256: (fingerprint.split('=')[1] ?? '').replaceAll(':', ''),
    serial: serial.replace(/^serial=/, ''),
  };
}

const SELECT_CERTIFICATE = `select certificate_pem, certificate_sealed, certificate_sha256, certificate_serial,
  certificate_not_after from applications where id = $1`;

describe.each(targets)('$kind store: the issued certificate sealed at rest', ({ make }) => {
  let target: Target;
  let store: Store | undefined;
  let ca: OpensslCa;
  const meta = { at: '2026-11-27T03:00:00.000Z', actor: 'ca' };
  const notAfter = '2028-11-27T03:00:00.000Z';

  beforeAll(() => {
    ca = makeOpensslCa('Uji Sertifikat Tersegel');
  });
  afterAll(() => ca.remove());

  afterEach(async () => {
    await store?.close();
    store = undefined;
    await target.dispose();
  });

  const rawCertificate = async (id: string) => {
    const [row] = await target.rawQuery(SELECT_CERTIFICATE, [id]);
    if (row === undefined) throw new Error(`no row ${id}`);
    return row;
  };
  /** Opens the sealed column as the archive's holder would, with the passphrase the tests run with. */
  const openSealed = async (opened: Store, id: string, bytes: unknown) => {
    const sealer = createArchiveSealer({ store: opened, passphrase: () => process.env.ARCHIVE_PASSPHRASE });
    return new TextDecoder().decode(
      await sealer.open(new Uint8Array(bytes as Uint8Array), `${id}/certificate`),
    );
  };

  test('an issued certificate is stored sealed, read and pulled back in clear; a repeat is unchanged, another illegal', async () => {
    target = await make();
    store = await target.open();
    const { application } = person(11);
    const needles: Needle[] = [{ name: 'nama in the certificate', value: application.nama }];
    await store.insertApplications([application], '2026-11-26T03:00:00.000Z');
    await store.recordOutcome(application.id, { state: 'sent-to-ca' }, meta);
    const certificate = certificateFor(ca, application.nama);
    const issued = { state: 'issued', certificatePem: certificate.text, notAfter } as const;

    expect(await store.recordOutcome(application.id, issued, meta)).toEqual({ status: 'recorded' });

    const raw = await rawCertificate(application.id);
    expect(raw.certificate_pem).toBeNull();
    expect(raw.certificate_sha256).toBe(certificate.sha256);
    // Not given with the outcome: read from the leaf before it was sealed.
    expect(raw.certificate_serial).toBe(certificate.serial);
    expect(raw.certificate_not_after).toBe(notAfter);
    expect(await openSealed(store, application.id, raw.certificate_sealed)).toBe(certificate.text);
    expect(scanForPlaintext(await target.dump(), needles)).toEqual([]);

    expect(await store.applicationStatuses(application.kioskId, [application.id])).toMatchObject([
      { id: application.id, state: 'issued', certificatePem: certificate.text },
    ]);
    expect(await store.getApplication(application.id)).toMatchObject({
      certificatePem: certificate.text,
      certificateSerialHex: certificate.serial,
    });
    expect(await store.recordOutcome(application.id, issued, meta)).toEqual({ status: 'unchanged' });
    const other = certificateFor(ca, application.nama);
    expect(
      await store.recordOutcome(application.id, { ...issued, certificatePem: other.text }, meta),
    ).toEqual({ status: 'illegal', from: 'issued' });
    expect(
      await openSealed(store, application.id, (await rawCertificate(application.id)).certificate_sealed),
    ).toBe(certificate.text);
  });

  test('a certificate an older server kept in clear is sealed at the next start and still served', async () => {
    target = await make();
    store = await target.open();
    const { application } = person(12);
    const purgedOne = person(13).application;
    await store.insertApplications([application, purgedOne], '2026-11-26T03:00:00.000Z');
    for (const id of [application.id, purgedOne.id])
      await store.recordOutcome(id, { state: 'sent-to-ca' }, meta);
    await store.purgePersonalData([purgedOne.id], '2026-11-28T03:00:00.000Z');
    await store.close();
    store = undefined;
    const certificate = certificateFor(ca, application.nama);
    const purgedCertificate = certificateFor(ca, purgedOne.nama);
    // The rows as a server before 0017 wrote them: the certificate in clear, no fingerprint.
    const legacy = `update applications set state = 'issued', certificate_pem = $1, certificate_not_after = $2,
      certificate_serial = $3, certificate_sealed = null, certificate_sha256 = null where id = $4`;
    await target.rawExec(legacy, [certificate.text, notAfter, certificate.serial, application.id]);
    await target.rawExec(legacy, [purgedCertificate.text, notAfter, purgedCertificate.serial, purgedOne.id]);
    const needles: Needle[] = [
      { name: 'nama in the certificate', value: application.nama },
      { name: 'purged nama in the certificate', value: purgedOne.nama },
    ];
    const tables = async () => (await target.dump()).filter((h) => h.where.startsWith('table'));
    expect(scanForPlaintext(await tables(), needles).map((f) => f.needle)).toEqual(
      expect.arrayContaining(needles.map((n) => n.name)),
    );

    store = await target.open();
    const raw = await rawCertificate(application.id);
    expect([raw.certificate_pem, raw.certificate_sha256, raw.certificate_serial]).toEqual([
      null,
      certificate.sha256,
      certificate.serial,
    ]);
    expect(await openSealed(store, application.id, raw.certificate_sealed)).toBe(certificate.text);
    expect(await store.applicationStatuses(application.kioskId, [application.id])).toMatchObject([
      { id: application.id, certificatePem: certificate.text },
    ]);
    expect((await store.getApplication(application.id))?.certificatePem).toBe(certificate.text);
    expect(
      await store.recordOutcome(application.id, { state: 'issued', certificatePem: certificate.text }, meta),
    ).toEqual({ status: 'unchanged' });
    // Past retention already: its certificate is deleted, not sealed; the clear facts stay.
    expect(await rawCertificate(purgedOne.id)).toMatchObject({
      certificate_pem: null,
      certificate_sealed: null,
      certificate_sha256: purgedCertificate.sha256,
      certificate_serial: purgedCertificate.serial,
    });
    // A second start finds nothing left to seal.
    await store.close();
    store = await target.open();
    expect((await store.getApplication(application.id))?.certificatePem).toBe(certificate.text);
    await store.close();
    store = undefined;
    expect(scanForPlaintext(await tables(), needles)).toEqual([]);
  });

  test('the retention purge deletes the sealed certificate, keeping serial, fingerprint and end', async () => {
    target = await make();
    store = await target.open();
    const { application } = person(14);
    await store.insertApplications([application], '2026-11-26T03:00:00.000Z');
    await store.recordOutcome(application.id, { state: 'sent-to-ca' }, meta);
    const certificate = certificateFor(ca, application.nama);
    await store.recordOutcome(
      application.id,
      { state: 'issued', certificatePem: certificate.text, notAfter, serialNumberHex: certificate.serial },
      meta,
    );
    expect((await rawCertificate(application.id)).certificate_sealed).not.toBeNull();

    expect(await store.purgePersonalData([application.id], '2034-11-28T03:00:00.000Z')).toEqual([
      application.id,
    ]);

    expect(await rawCertificate(application.id)).toMatchObject({
      certificate_pem: null,
      certificate_sealed: null,
      certificate_sha256: certificate.sha256,
      certificate_serial: certificate.serial,
      certificate_not_after: notAfter,
    });
    expect(await store.getApplication(application.id)).toMatchObject({
      state: 'issued',
      certificatePem: null,
      certificateSerialHex: certificate.serial,
    });
    expect(await store.applicationStatuses(application.kioskId, [application.id])).toMatchObject([
      { id: application.id, state: 'issued', certificatePem: null },
    ]);
  });
});
