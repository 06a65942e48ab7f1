import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { CertificateType } from '../../../../src/core/certificate/types';
import type { RevocationReason } from '../connector';

/*
 * The dev CA's own SQLite database: its keys (encrypted PKCS#8 only), every serial it ever used, the
 * requests it received and what became of them. Every method is synchronous, so one call is one
 * transaction that no other async work in this process can interleave with; `BEGIN IMMEDIATE` and
 * `busy_timeout` serialise it against other connections (a second CA instance on the same directory).
 */

export const DEV_CA_DB_FILE = 'dev-ca.sqlite';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS authority (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  root_certificate_pem TEXT NOT NULL,
  root_key_pem TEXT NOT NULL,
  issuing_certificate_pem TEXT NOT NULL,
  issuing_key_pem TEXT NOT NULL,
  created_at TEXT NOT NULL,
  crl_number INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS serials (
  serial_hex TEXT PRIMARY KEY,
  purpose TEXT NOT NULL CHECK (purpose IN ('root', 'issuing', 'end-entity')),
  ca_reference TEXT,
  reserved_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS requests (
  ca_reference TEXT PRIMARY KEY,
  application_id TEXT NOT NULL UNIQUE,
  certificate_type TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'issued', 'rejected')),
  reason TEXT,
  csr_pem TEXT,
  profile_json TEXT,
  submitted_at TEXT NOT NULL,
  due_ms INTEGER NOT NULL,
  serial_hex TEXT UNIQUE REFERENCES serials (serial_hex),
  certificate_pem TEXT,
  issued_at TEXT,
  revoked_at TEXT,
  revocation_reason TEXT,
  revocation_request_id TEXT
);
CREATE TABLE IF NOT EXISTS submissions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  application_id TEXT NOT NULL,
  ca_reference TEXT NOT NULL,
  at TEXT NOT NULL,
  repeat INTEGER NOT NULL CHECK (repeat IN (0, 1))
);
`;

export interface AuthorityRow {
  rootCertificatePem: string;
  rootKeyPem: string;
  issuingCertificatePem: string;
  issuingKeyPem: string;
}

export interface RequestRow {
  caReference: string;
  applicationId: string;
  certificateType: string;
  status: 'pending' | 'issued' | 'rejected';
  reason: string | null;
  csrPem: string | null;
  profileJson: string | null;
  submittedAt: string;
  dueMs: number;
  serialHex: string | null;
  certificatePem: string | null;
  issuedAt: string | null;
  revokedAt: string | null;
  revocationReason: RevocationReason | null;
}

/** A request as judged before the transaction: accepted (to be issued) or refused with a reason. */
export type Verdict =
  | { accepted: true; csrPem: string; profileJson: string }
  | { accepted: false; reason: string };

export interface NewSubmission {
  applicationId: string;
  certificateType: CertificateType;
  /** Null when the request was already known before the call (no need to judge it again). */
  verdict: Verdict | null;
}

export type SubmissionOutcome =
  | { applicationId: string; caReference: string; accepted: true }
  | { applicationId: string; caReference: string; accepted: false; reason: string };

export interface SubmissionLogEntry {
  applicationId: string;
  caReference: string;
  at: string;
  repeat: boolean;
}

export interface RevokedEntry {
  serialHex: string;
  revokedAt: string;
  reason: RevocationReason;
}

export type RevokeOutcome =
  | { status: 'revoked' | 'already-revoked'; revokedAt: string }
  | { status: 'unknown-certificate' };

/** What a claimed issuance needs; null from `claimIssuance` when the certificate exists already. */
export interface IssuanceClaim {
  serialHex: string;
  csrPem: string;
  profileJson: string;
}

/** Draws beyond this mean the random source is broken, not unlucky (2^-127 per draw). */
const MAX_SERIAL_DRAWS = 16;

const REQUEST_COLUMNS = `ca_reference AS caReference, application_id AS applicationId,
  certificate_type AS certificateType, status, reason, csr_pem AS csrPem, profile_json AS profileJson,
  submitted_at AS submittedAt, due_ms AS dueMs, serial_hex AS serialHex,
  certificate_pem AS certificatePem, issued_at AS issuedAt, revoked_at AS revokedAt,
  revocation_reason AS revocationReason`;

export class DevCaDb {
  readonly location: string;
  private readonly db: Database.Database;

  /** `dir` null: an in-memory database (tests). */
  constructor(dir: string | null) {
    if (dir === null) {
      this.location = ':memory:';
    } else {
      mkdirSync(dir, { recursive: true });
      this.location = join(dir, DEV_CA_DB_FILE);
    }
    this.db = new Database(this.location);
    try {
      // busy_timeout first: a second instance opening the same file waits instead of failing.
      this.db.pragma('busy_timeout = 10000');
      this.db.pragma('journal_mode = WAL');
      // An issued serial or a revocation must survive a power cut.
      this.db.pragma('synchronous = FULL');
      this.db.pragma('foreign_keys = ON');
      this.db.transaction(() => this.db.exec(SCHEMA)).immediate();
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  readAuthority(): AuthorityRow | null {
    const row = this.db
      .prepare<[], AuthorityRow>(
        `SELECT root_certificate_pem AS rootCertificatePem, root_key_pem AS rootKeyPem,
           issuing_certificate_pem AS issuingCertificatePem, issuing_key_pem AS issuingKeyPem
         FROM authority WHERE id = 1`,
      )
      .get();
    return row ?? null;
  }

  /**
   * Stores a freshly made CA unless another instance stored one first ('exists': the caller drops
   * its own and reads the stored one). 'serial-taken': a drawn serial is in use; draw again.
   */
  insertAuthorityIfAbsent(
    authority: AuthorityRow,
    serials: { root: string; issuing: string },
    at: string,
  ): 'inserted' | 'exists' | 'serial-taken' {
    return this.db
      .transaction(() => {
        if (this.readAuthority()) return 'exists' as const;
        if (
          serials.root === serials.issuing ||
          this.hasSerial(serials.root) ||
          this.hasSerial(serials.issuing)
        ) {
          return 'serial-taken' as const;
        }
        const addSerial = this.db.prepare(
          'INSERT INTO serials (serial_hex, purpose, ca_reference, reserved_at) VALUES (?, ?, NULL, ?)',
        );
        addSerial.run(serials.root, 'root', at);
        addSerial.run(serials.issuing, 'issuing', at);
        this.db
          .prepare(
            `INSERT INTO authority (id, root_certificate_pem, root_key_pem, issuing_certificate_pem,
               issuing_key_pem, created_at) VALUES (1, ?, ?, ?, ?, ?)`,
          )
          .run(
            authority.rootCertificatePem,
            authority.rootKeyPem,
            authority.issuingCertificatePem,
            authority.issuingKeyPem,
            at,
          );
        return 'inserted' as const;
      })
      .immediate();
  }

  hasSerial(serialHex: string): boolean {
    return this.db.prepare('SELECT 1 FROM serials WHERE serial_hex = ?').get(serialHex) !== undefined;
  }

  /**
   * Reserves a serial nobody has used: the PRIMARY KEY decides, so a collision (with any certificate
   * ever made here, the CA's own included) draws again.
   */
  reserveSerial(draw: () => string, reference: string | null, at: string): string {
    return this.db
      .transaction(() => {
        const insert = this.db.prepare(
          `INSERT INTO serials (serial_hex, purpose, ca_reference, reserved_at)
           VALUES (?, 'end-entity', ?, ?) ON CONFLICT (serial_hex) DO NOTHING`,
        );
        for (let attempt = 0; attempt < MAX_SERIAL_DRAWS; attempt++) {
          const serialHex = draw();
          if (insert.run(serialHex, reference, at).changes === 1) return serialHex;
        }
        throw new Error(`no unused serial number in ${MAX_SERIAL_DRAWS} draws: the random source is broken`);
      })
      .immediate();
  }

  findByReference(caReference: string): RequestRow | null {
    return (
      this.db
        .prepare<[string], RequestRow>(`SELECT ${REQUEST_COLUMNS} FROM requests WHERE ca_reference = ?`)
        .get(caReference) ?? null
    );
  }

  findByApplication(applicationId: string): RequestRow | null {
    return (
      this.db
        .prepare<[string], RequestRow>(`SELECT ${REQUEST_COLUMNS} FROM requests WHERE application_id = ?`)
        .get(applicationId) ?? null
    );
  }

  /**
   * Records a batch in one transaction, in order: a known application id is a repeat and gets the
   * answer it got the first time (a refusal too, stored as a rejected request); a new one is stored.
   */
  recordSubmissions(
    submissions: readonly NewSubmission[],
    options: { at: string; dueMs: number; newReference: () => string },
  ): SubmissionOutcome[] {
    return this.db
      .transaction(() => {
        const insertRequest = this.db.prepare(
          `INSERT INTO requests (ca_reference, application_id, certificate_type, status, reason, csr_pem,
             profile_json, submitted_at, due_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        );
        const log = this.db.prepare(
          'INSERT INTO submissions (application_id, ca_reference, at, repeat) VALUES (?, ?, ?, ?)',
        );
        return submissions.map((submission): SubmissionOutcome => {
          const existing = this.findByApplication(submission.applicationId);
          if (existing) {
            log.run(submission.applicationId, existing.caReference, options.at, 1);
            return existing.status === 'rejected'
              ? {
                  applicationId: submission.applicationId,
                  caReference: existing.caReference,
                  accepted: false,
                  reason: existing.reason ?? 'refused',
                }
              : {
                  applicationId: submission.applicationId,
                  caReference: existing.caReference,
                  accepted: true,
                };
          }
          const { verdict } = submission;
          // Rows are never deleted, so a request known before the call is still known here.
          if (!verdict) throw new Error(`request ${submission.applicationId} was not judged`);
          const caReference = options.newReference();
          insertRequest.run(
            caReference,
            submission.applicationId,
            submission.certificateType,
            verdict.accepted ? 'pending' : 'rejected',
            verdict.accepted ? null : verdict.reason,
            verdict.accepted ? verdict.csrPem : null,
            verdict.accepted ? verdict.profileJson : null,
            options.at,
            options.dueMs,
          );
          log.run(submission.applicationId, caReference, options.at, 0);
          return verdict.accepted
            ? { applicationId: submission.applicationId, caReference, accepted: true }
            : {
                applicationId: submission.applicationId,
                caReference,
                accepted: false,
                reason: verdict.reason,
              };
        });
      })
      .immediate();
  }

  /**
   * Fixes the serial of a pending request (once: a retry after a crash signs with the same one), or
   * null when its certificate is stored already.
   */
  claimIssuance(caReference: string, draw: () => string, at: string): IssuanceClaim | null {
    return this.db
      .transaction((): IssuanceClaim | null => {
        const row = this.findByReference(caReference);
        if (row?.status !== 'pending' || !row.csrPem || !row.profileJson) return null;
        const serialHex = row.serialHex ?? this.reserveSerial(draw, caReference, at);
        if (!row.serialHex) {
          this.db
            .prepare('UPDATE requests SET serial_hex = ? WHERE ca_reference = ?')
            .run(serialHex, caReference);
        }
        return { serialHex, csrPem: row.csrPem, profileJson: row.profileJson };
      })
      .immediate();
  }

  /** Stores the certificate unless another instance stored one first (then that one stays). */
  storeCertificate(caReference: string, serialHex: string, certificatePem: string, issuedAt: string): void {
    this.db
      .prepare(
        `UPDATE requests SET status = 'issued', certificate_pem = ?, issued_at = ?
         WHERE ca_reference = ? AND serial_hex = ? AND status = 'pending'`,
      )
      .run(certificatePem, issuedAt, caReference, serialHex);
  }

  /** Revokes an issued certificate; the first revocation's time and reason are kept. */
  revoke(serialHex: string, reason: RevocationReason, requestId: string, at: string): RevokeOutcome {
    return this.db
      .transaction((): RevokeOutcome => {
        const row = this.db
          .prepare<[string], RequestRow>(
            `SELECT ${REQUEST_COLUMNS} FROM requests WHERE serial_hex = ? AND status = 'issued'`,
          )
          .get(serialHex);
        if (!row) return { status: 'unknown-certificate' };
        if (row.revokedAt) return { status: 'already-revoked', revokedAt: row.revokedAt };
        this.db
          .prepare(
            `UPDATE requests SET revoked_at = ?, revocation_reason = ?, revocation_request_id = ?
             WHERE ca_reference = ?`,
          )
          .run(at, reason, requestId, row.caReference);
        return { status: 'revoked', revokedAt: at };
      })
      .immediate();
  }

  revokedCertificates(): RevokedEntry[] {
    return this.db
      .prepare<[], RevokedEntry>(
        `SELECT serial_hex AS serialHex, revoked_at AS revokedAt, revocation_reason AS reason
         FROM requests WHERE revoked_at IS NOT NULL ORDER BY revoked_at, serial_hex`,
      )
      .all();
  }

  /** Each CRL gets the next number, also across restarts and instances. */
  nextCrlNumber(): number {
    const row = this.db
      .prepare<[], { crlNumber: number }>(
        'UPDATE authority SET crl_number = crl_number + 1 WHERE id = 1 RETURNING crl_number AS crlNumber',
      )
      .get();
    if (!row) throw new Error('the dev CA has no authority row');
    return row.crlNumber;
  }

  submissionLog(): SubmissionLogEntry[] {
    return this.db
      .prepare<[], { applicationId: string; caReference: string; at: string; repeat: number }>(
        `SELECT application_id AS applicationId, ca_reference AS caReference, at, repeat
         FROM submissions ORDER BY seq`,
      )
      .all()
      .map((row) => ({ ...row, repeat: row.repeat === 1 }));
  }
}
