/**
 * Issue 8's acceptance, the server's half: 100 applications through the whole flow (half sealed by
 * the kiosk's own code, half as older kiosks send them; an officer's signed decision, a second
 * officer's release, the e-mail link, the forwarding job to the dev CA, the kiosk's status pull),
 * then no plaintext NIK, name, picture, passphrase or private key anywhere in
 * the server's tables, its database files or its log — on SQLite and on PostgreSQL.
 *
 * Not scanned, on purpose: the dev CA's own database (it stands for BSrE, outside the RA) and the
 * development mail drop (mails to the applicant, which name them, as a real mail server would hold).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, inject, test } from 'vitest';
import { sealApplication } from '../../src/app/sealing/seal-application';
import { sealedRecordRef } from '../../src/app/sync-outbox';
import { decryptPrivateKey } from '../../src/core/certificate/pkcs8';
import { importSealPublicKey } from '../../src/core/sealing/seal';
import { ARCHIVE_KEY_PATH, archiveKeySchema } from '../../src/protocol/archive';
import { BATCH_FRAME_MEDIA_TYPE, encodeBatchFrame } from '../../src/protocol/batch-frame';
import { SYNC_RELEASES_PATH } from '../../src/protocol/officer';
import {
  ADMIN_FORWARD_PATH,
  type ApplicationRecord,
  SYNC_BATCHES_PATH,
  SYNC_STATUSES_PATH,
  statusResponseSchema,
  syncBatchResponseSchema,
} from '../../src/protocol/sync';
import { loadConfig } from '../../sync-server/src/config';
import { createLogger } from '../../sync-server/src/logger';
import { type RunningServer, startServer } from '../../sync-server/src/server';
import { makePerson } from '../support/ektp';
import { applicationIdOf, linkFrom, readMailDrop } from '../support/mail-message';
import {
  createTestOfficerViaAdmin,
  decidedRecord,
  enrollOfficerWithCode,
  signRelease,
  type TestOfficer,
  toFramedRecord,
} from '../support/officer-fixtures';
import {
  dumpPostgres,
  dumpSqlite,
  type Haystack,
  type Needle,
  scanForPlaintext,
} from '../support/plaintext-scan';
import { createScratchDatabase } from '../support/postgres';
import {
  enrollTestKioskViaAdmin,
  postSignedJson,
  signedInit,
  TEST_ADMIN_TOKEN,
  type TestKiosk,
  urlFetcher,
} from '../support/signed-kiosk';
import { makeWireRecord, TEST_PASSPHRASE, tinyPng } from '../support/wire-records';

const COUNT = 100;
const BATCH = 20;
const ARCHIVE_PASSPHRASE = 'arsip-ra-uji-pindai-privasi';
const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
const postgresUrl = inject('databaseUrl');

/** A valid PNG whose bytes no other application shares: a private chunk of random bytes. */
function distinctPng(): { png: Uint8Array; marker: Uint8Array } {
  const marker = new Uint8Array(crypto.getRandomValues(new Uint8Array(96)));
  return { png: tinyPng(marker), marker };
}

interface Applicant {
  record: ApplicationRecord;
  needles: Needle[];
}

async function applicant(n: number): Promise<Applicant> {
  const person = makePerson(9000 + n);
  const { png, marker } = distinctPng();
  const record = await makeWireRecord({
    applicant: {
      nama: person.nama,
      nik: person.nik,
      nip: null,
      email: `pegawai.${9000 + n}@madiunkota.go.id`,
    },
    ektpImage: { mediaType: 'image/png', dataBase64: Buffer.from(png).toString('base64') },
    ocrText: `NIK : ${person.nik}\nNama : ${person.nama}`,
    createdAt: new Date().toISOString(),
  });
  const pkcs8 = await decryptPrivateKey(record.encryptedPrivateKeyPem, TEST_PASSPHRASE);
  if (!pkcs8.ok) throw new Error('the test key does not open');
  return {
    record,
    needles: [
      { name: `NIK #${n}`, value: person.nik },
      { name: `nama #${n}`, value: person.nama },
      { name: `nama #${n} (title case)`, value: titleCase(person.nama) },
      { name: `e-KTP picture #${n}`, value: marker },
      { name: `private key #${n}`, value: new Uint8Array(pkcs8.value) },
    ],
  };
}

const titleCase = (text: string) => text.toLowerCase().replace(/\b\p{L}/gu, (c) => c.toUpperCase());

interface Target {
  kind: 'sqlite' | 'postgres';
  env: Record<string, string>;
  dump(dataDir: string): Promise<Haystack[]>;
  dispose(): Promise<void>;
}

async function sqliteTarget(): Promise<Target> {
  return {
    kind: 'sqlite',
    env: {},
    dump: async (dataDir) => dumpSqlite(join(dataDir, 'sertel.sqlite')),
    dispose: async () => undefined,
  };
}

async function postgresTarget(adminUrl: string): Promise<Target> {
  const database = await createScratchDatabase(adminUrl, 'privacy');
  return {
    kind: 'postgres',
    env: { DATABASE_URL: database.url },
    dump: () => dumpPostgres(database.url),
    dispose: database.drop,
  };
}

const targets: { kind: string; make: () => Promise<Target> }[] = [{ kind: 'sqlite', make: sqliteTarget }];
if (postgresUrl !== null) targets.push({ kind: 'postgres', make: () => postgresTarget(postgresUrl) });

describe.each(targets)('no personal data in the clear on the server ($kind)', ({ make }) => {
  let target: Target;
  let dataDir: string;
  let server: RunningServer;
  let log: Buffer[];

  beforeEach(async () => {
    target = await make();
    dataDir = mkdtempSync(join(tmpdir(), 'sertel-privacy-'));
    log = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        log.push(Buffer.from(chunk));
        done();
      },
    });
    server = await startServer(
      loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        ADMIN_TOKEN: TEST_ADMIN_TOKEN,
        ARCHIVE_PASSPHRASE,
        FORWARD_INTERVAL_SECONDS: '0',
        LOG_LEVEL: 'trace',
        ...target.env,
      }),
      createLogger('trace', sink),
    );
  });

  afterEach(async () => {
    await server.close();
    await target.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test(`${COUNT} applications through the whole flow leave none in tables, database files or the log`, async () => {
    const fetcher = urlFetcher(server.url);
    const kiosk: TestKiosk = await enrollTestKioskViaAdmin(fetcher);
    const officers: TestOfficer[] = [];
    for (const username of ['petugas.satu', 'petugas.dua']) {
      const created = await createTestOfficerViaAdmin(fetcher, { username, nama: 'PETUGAS LOKET' });
      const { officer, response } = await enrollOfficerWithCode(fetcher, kiosk, {
        username,
        code: created.code,
      });
      if (officer === null) throw new Error(`officer enrollment: ${response.status}`);
      officers.push(officer);
    }
    const [decider, releaser] = officers as [TestOfficer, TestOfficer];
    const archiveAnswer = archiveKeySchema.parse(await (await fetcher(ARCHIVE_KEY_PATH)).json());
    const archivePublicKey = await importSealPublicKey(archiveAnswer.publicKeySpki);
    if (archivePublicKey === null) throw new Error('no archive key');
    const archive = { kind: 'archive' as const, keyId: archiveAnswer.keyId, publicKey: archivePublicKey };

    const applicants = await Promise.all(Array.from({ length: COUNT }, (_, n) => applicant(n)));
    const ids = applicants.map((a) => a.record.id);
    // Captured, decided at the counter, sent: even ones sealed by the kiosk's own code, odd ones as
    // older kiosks send them (the server must keep neither in the clear).
    for (let start = 0; start < COUNT; start += BATCH) {
      const records: unknown[] = [];
      const files: Uint8Array[] = [];
      for (const [offset, { record }] of applicants.slice(start, start + BATCH).entries()) {
        const decided = await decidedRecord(decider, record);
        const picture = new Uint8Array(Buffer.from(record.ektpImage.dataBase64, 'base64'));
        if ((start + offset) % 2 === 0) {
          const { ektpImage, ...rest } = decided;
          const blob = await sealApplication(
            {
              id: record.id,
              record: rest,
              image: { mediaType: ektpImage.mediaType, blob: new Blob([picture]) },
              attachments: [],
            },
            [archive],
          );
          const ref = await sealedRecordRef({
            id: record.id,
            record: { decision: decided.decision },
            sealed: blob,
          });
          records.push(ref.record);
          files.push(...ref.files);
        } else {
          records.push(toFramedRecord(decided));
          files.push(picture);
        }
      }
      const body = encodeBatchFrame({ kioskId: kiosk.kioskId, records }, files);
      const response = await fetcher(
        SYNC_BATCHES_PATH,
        await signedInit(kiosk, body, { contentType: BATCH_FRAME_MEDIA_TYPE }),
      );
      expect(response.status).toBe(200);
      const results = syncBatchResponseSchema.parse(await response.json()).results;
      expect(results.map((r) => r.code ?? r.status)).toEqual(records.map(() => 'stored'));
    }

    // The second officer releases them to the CA (two-person rule).
    const release = await postSignedJson(fetcher, kiosk, SYNC_RELEASES_PATH, {
      kioskId: kiosk.kioskId,
      releases: [await signRelease(releaser, ids)],
    });
    expect(release.status).toBe(200);

    // Each applicant opens the link the server mailed (Pasal 10).
    const mailDir = join(dataDir, 'mail-outbox');
    let links = new Map<string, string>();
    for (let waited = 0; links.size < COUNT && waited < 60_000; waited += 200) {
      links = new Map(
        readMailDrop(mailDir).flatMap((mail) => {
          const id = applicationIdOf(mail);
          const link = linkFrom(mail);
          return id && link ? [[id, link] as const] : [];
        }),
      );
      if (links.size < COUNT) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(links.size).toBe(COUNT);
    for (const link of links.values()) {
      const url = new URL(link);
      expect((await fetcher(`${url.pathname}${url.search}`)).status).toBe(200);
    }

    // The forwarding job takes them to the CA and back; the kiosk pulls the certificates.
    const forwarded = await fetcher(ADMIN_FORWARD_PATH, { method: 'POST', headers: admin });
    expect(forwarded.status).toBe(200);
    expect(((await forwarded.json()) as { report: { issued: number } }).report.issued).toBe(COUNT);
    const statuses = await postSignedJson(fetcher, kiosk, SYNC_STATUSES_PATH, {
      kioskId: kiosk.kioskId,
      ids,
    });
    const pulled = statusResponseSchema.parse(await statuses.json());
    expect(pulled.statuses.filter((s) => s.state === 'issued')).toHaveLength(COUNT);

    const haystacks: Haystack[] = [
      ...(await target.dump(dataDir)),
      { where: 'server log', bytes: Buffer.concat(log) },
    ];
    expect(haystacks.length).toBeGreaterThan(5);
    // The test can fail: the data it looks for is really there to be found before sealing.
    expect(
      scanForPlaintext(
        [{ where: 'a record as sent', bytes: JSON.stringify(applicants[1]?.record) }],
        applicants[1]?.needles ?? [],
      ),
    ).not.toEqual([]);
    const needles = [
      ...applicants.flatMap((a) => a.needles),
      { name: 'applicant passphrase', value: TEST_PASSPHRASE },
    ];
    expect(scanForPlaintext(haystacks, needles)).toEqual([]);
  });
});
