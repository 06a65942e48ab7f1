/**
 * Applications ready for the CA, as the server holds them after an officer approved and a second
 * officer released them: real CSRs made by the kiosk's own code, so a real CA signs them.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificateProfiles } from '../../src/app/certificate-profiles';
import { createCsr } from '../../src/core/certificate/csr';
import { generateApplicantKeyPair } from '../../src/core/certificate/keys';
import { renderProfile, type SubjectData } from '../../src/core/certificate/profile';
import type { CertificateType, KeyAlgorithm } from '../../src/core/certificate/types';
import { createDevCa, type DevCa, type DevCaOptions } from '../../sync-server/src/ca/dev-ca/dev-ca';
import { openStore } from '../../sync-server/src/store/open';
import type { NewApplication, Store } from '../../sync-server/src/store/store';
import { makeApplication } from './applications';
import { createScratchDatabase } from './postgres';

export const DECIDING_OFFICER = 'officer-decides';
export const RELEASING_OFFICER = 'officer-releases';

export interface ApplicantData {
  certificateType?: CertificateType;
  nama?: string;
  email?: string;
  perangkatDaerah?: string;
  jabatan?: string | null;
  host?: string | null;
  keyAlgorithm?: KeyAlgorithm;
}

/** A CSR as the kiosk makes it for this applicant, and the application fields that go with it. */
export async function applicantRequest(data: ApplicantData = {}): Promise<Partial<NewApplication>> {
  const certificateType = data.certificateType ?? 'individu';
  const subject: SubjectData = {
    nama: data.nama ?? 'SITI RAHAYU',
    email: data.email ?? 'siti.rahayu@madiunkota.go.id',
    perangkatDaerah: data.perangkatDaerah ?? 'Dinas Komunikasi dan Informatika',
    nip: null,
    jabatan: data.jabatan ?? null,
    host: data.host ?? null,
  };
  const algorithm = data.keyAlgorithm ?? 'ECDSA-P256';
  const request = renderProfile(certificateProfiles, certificateType, subject, algorithm);
  if (!request.ok) throw new Error(`profile not renderable: ${JSON.stringify(request.problem)}`);
  const keys = await generateApplicantKeyPair(algorithm);
  return {
    certificateType,
    nama: subject.nama ?? '',
    email: subject.email ?? '',
    perangkatDaerah: subject.perangkatDaerah ?? '',
    jabatan: subject.jabatan ?? null,
    host: subject.host ?? null,
    csrPem: await createCsr({ ...request.value, keys }),
  };
}

/**
 * Stores applications with an approval each and, if `release`, the second officer's release. Their
 * e-mail is confirmed through the store (Pasal 10), as a typed code would, unless `confirmEmail` is
 * false.
 */
export async function seedApproved(
  store: Store,
  applications: NewApplication[],
  options: { release: boolean; receivedAt?: string; releasedAt?: string; confirmEmail?: boolean },
): Promise<void> {
  const receivedAt = options.receivedAt ?? '2026-11-26T02:00:00.000Z';
  if (options.confirmEmail !== false) {
    for (const application of applications) {
      await store.recordEmailConfirmation({
        applicationId: application.id,
        email: application.email,
        confirmedAt: receivedAt,
        via: 'code',
        actor: 'test',
      });
    }
  }
  for (let start = 0; start < applications.length; start += 200) {
    const chunk = applications.slice(start, start + 200).map((application) => ({
      ...application,
      decision: {
        decision: 'approved' as const,
        reasons: [],
        officerId: DECIDING_OFFICER,
        keyId: randomUUID(),
        decidedAt: receivedAt,
        payload: '{"v":1,"type":"decision"}',
        signature: 'S'.repeat(86),
      },
    }));
    const outcomes = await store.insertApplications(chunk, receivedAt);
    if (outcomes.some((o) => o !== 'stored')) throw new Error('seeding stored less than asked');
  }
  if (!options.release) return;
  for (let start = 0; start < applications.length; start += 200) {
    const ids = applications.slice(start, start + 200).map((a) => a.id);
    const outcomes = await store.recordRelease({
      applicationIds: ids,
      officerId: RELEASING_OFFICER,
      keyId: randomUUID(),
      releasedAt: options.releasedAt ?? '2026-11-26T09:00:00.000Z',
      payload: '{"v":1,"type":"release"}',
      signature: 'R'.repeat(86),
      receivedAt,
      twoPersonRule: true,
    });
    if (outcomes.some((o) => o.status !== 'released')) throw new Error('seeding released less than asked');
  }
}

/** `count` applications sharing one real request (a CA signs the same key again; fine for load). */
export async function manyApplications(count: number, data: ApplicantData = {}): Promise<NewApplication[]> {
  const request = await applicantRequest(data);
  return Array.from({ length: count }, () => makeApplication({ ...request, id: randomUUID() }));
}

/** One database for one test, opened as often as a test needs servers over it. */
export interface StoreTarget {
  kind: Store['kind'];
  open(): Promise<Store>;
  dispose(): Promise<void>;
  /** PostgreSQL only: for a second connection of the test's own. */
  databaseUrl?: string;
}

export function storeTargets(postgresAdminUrl: string | null): {
  kind: Store['kind'];
  create(): Promise<StoreTarget>;
}[] {
  const sqlite = {
    kind: 'sqlite' as const,
    async create(): Promise<StoreTarget> {
      const dataDir = mkdtempSync(join(tmpdir(), 'sertel-forward-'));
      return {
        kind: 'sqlite',
        open: () => openStore({ dataDir }),
        dispose: async () => rmSync(dataDir, { recursive: true, force: true }),
      };
    },
  };
  if (postgresAdminUrl === null) return [sqlite];
  const postgres = {
    kind: 'postgres' as const,
    async create(): Promise<StoreTarget> {
      const database = await createScratchDatabase(postgresAdminUrl, 'forward');
      const unused = join(tmpdir(), `sertel-unused-${randomUUID()}`);
      return {
        kind: 'postgres',
        open: async () => {
          const store = await openStore({ databaseUrl: database.url, dataDir: unused });
          if (existsSync(unused)) throw new Error('a PostgreSQL store wrote to local disk');
          return store;
        },
        dispose: database.drop,
        databaseUrl: database.url,
      };
    },
  };
  return [sqlite, postgres];
}

/** A clock a test moves by hand: the store's times, the CA's and the back-off all read it. */
export function manualClock(start = Date.parse('2026-11-26T03:00:00.000Z')) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

/** The dev CA in memory, with a cheap key encryption (the real one's cost is not under test). */
export function testDevCa(now: () => Date, options: Partial<DevCaOptions> = {}): Promise<DevCa> {
  return createDevCa({
    dir: null,
    passphrase: 'frasa sandi CA uji coba',
    profiles: certificateProfiles,
    keyIterations: 1000,
    now,
    ...options,
  });
}
