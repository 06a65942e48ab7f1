/**
 * Checks the officers' signed statements (docs/officers.md): the decision inside a record, the
 * second officer's release. A statement counts only when its key is known, bound to the officer it
 * names and to the kiosk that sent it, the officer is active, the signature verifies over the
 * exact payload text, and the payload then parses.
 */
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import type { z } from 'zod';
import { UUID_PATTERN } from '../../../src/protocol/kiosk-auth';
import {
  type DecisionPayload,
  decisionPayloadSchema,
  type ReleasePayload,
  releasePayloadSchema,
  type SignedStatement,
} from '../../../src/protocol/officer';
import type { NewDecision, OfficerKey, Store, StoredOfficer } from '../store/store';

/** Imported officer keys kept per process; revocation and the account's state are read every time. */
const KEY_CACHE_SIZE = 256;
const keyCache = new Map<string, KeyObject>();

/** The officer's public key, or null when the SPKI is not an ECDSA P-256 public key. */
export function importOfficerPublicKey(spkiBase64: string): KeyObject | null {
  try {
    const key = createPublicKey({ key: Buffer.from(spkiBase64, 'base64'), format: 'der', type: 'spki' });
    return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1'
      ? key
      : null;
  } catch {
    return null;
  }
}

/** A key id names one SPKI forever, so the imported key may be cached by its id. */
function publicKeyOf(key: OfficerKey): KeyObject | null {
  const cached = keyCache.get(key.keyId);
  if (cached) return cached;
  const imported = importOfficerPublicKey(key.publicKeySpki);
  if (imported === null) return null;
  if (keyCache.size >= KEY_CACHE_SIZE) {
    const oldest = keyCache.keys().next();
    if (!oldest.done) keyCache.delete(oldest.value);
  }
  keyCache.set(key.keyId, imported);
  return imported;
}

/**
 * True only for an ECDSA P-256 / SHA-256 signature (IEEE P1363 r‖s, base64url) by this key over
 * exactly the payload's UTF-8 bytes: `verifyStatement` in src/protocol/statement.ts, natively.
 */
function verifyStatementSignature(publicKey: KeyObject, statement: SignedStatement): boolean {
  const raw = Buffer.from(statement.signature, 'base64url');
  if (raw.length !== 64) return false;
  try {
    return verify(
      'sha256',
      Buffer.from(statement.payload, 'utf8'),
      { key: publicKey, dsaEncoding: 'ieee-p1363' },
      raw,
    );
  } catch {
    return false;
  }
}

/** Keys and accounts looked up once per request, however many statements name them. */
interface OfficerLookup {
  key(keyId: string): Promise<OfficerKey | null>;
  officer(id: string): Promise<StoredOfficer | null>;
}

export function createOfficerLookup(store: Store): OfficerLookup {
  const keys = new Map<string, Promise<OfficerKey | null>>();
  const officers = new Map<string, Promise<StoredOfficer | null>>();
  const memo = <T>(map: Map<string, Promise<T>>, id: string, load: () => Promise<T>): Promise<T> => {
    let found = map.get(id);
    if (found === undefined) {
      found = load();
      map.set(id, found);
    }
    return found;
  };
  return {
    key: (keyId) => memo(keys, keyId, () => store.getOfficerKey(keyId)),
    officer: (id) => memo(officers, id, () => store.getOfficer(id)),
  };
}

type StatementProblem = 'invalid' | 'unknown-officer' | 'officer-locked';

type StatementCheck<T> =
  | { ok: true; payload: T; key: OfficerKey; officer: StoredOfficer }
  | { ok: false; problem: StatementProblem; message: string };

const refuse = (problem: StatementProblem, message: string) => ({ ok: false, problem, message }) as const;

/**
 * The statement checked against the officer accounts; see the module comment for the rules. Also
 * used for the lifecycle statements (domain/lifecycle.ts).
 */
export async function checkOfficerStatement<T extends { keyId: string; officerId: string }>(
  lookup: OfficerLookup,
  statement: SignedStatement,
  schema: z.ZodType<T>,
  signingKioskId: string,
): Promise<StatementCheck<T>> {
  // The key is named inside the payload: read just that before the signature is checked.
  let raw: unknown;
  try {
    raw = JSON.parse(statement.payload);
  } catch {
    return refuse('invalid', 'the payload is not JSON');
  }
  const keyId = typeof raw === 'object' && raw !== null ? (raw as { keyId?: unknown }).keyId : undefined;
  if (typeof keyId !== 'string' || !UUID_PATTERN.test(keyId)) {
    return refuse('invalid', 'the payload names no key');
  }
  const key = await lookup.key(keyId);
  if (key === null) return refuse('unknown-officer', 'no officer key has this id');
  const publicKey = publicKeyOf(key);
  if (publicKey === null || !verifyStatementSignature(publicKey, statement)) {
    return refuse('invalid', 'the signature does not verify over the payload');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    // Paths only: the payload may hold the officer's free-text note.
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(payload)'))];
    return refuse('invalid', `invalid payload fields: ${fields.join(', ')}`);
  }
  const payload = parsed.data;
  if (key.officerId !== payload.officerId)
    return refuse('unknown-officer', 'the key belongs to another officer');
  if (key.kioskId !== signingKioskId) {
    return refuse('unknown-officer', 'the key belongs to another kiosk');
  }
  const officer = await lookup.officer(key.officerId);
  if (officer === null) return refuse('unknown-officer', 'no officer has this id');
  if (officer.status !== 'active') return refuse('officer-locked', `the officer is ${officer.status}`);
  if (key.revokedAt !== null) {
    return refuse('officer-locked', 'the key was revoked by a lock; the officer must enroll again');
  }
  return { ok: true, payload, key, officer };
}

type DecisionCheck = { ok: true; decision: NewDecision } | { ok: false; code: string; message: string };

/** The answer's code for a refused statement: `invalid` is named after the kind of statement. */
const refusalCode = (problem: StatementProblem, invalid: string): string =>
  problem === 'invalid' ? invalid : problem;

/** A record's decision: a valid statement about exactly this record, from this kiosk. */
export async function checkDecision(
  lookup: OfficerLookup,
  statement: SignedStatement,
  record: { id: string; kioskId: string; applicationHash: string },
): Promise<DecisionCheck> {
  const checked = await checkOfficerStatement<DecisionPayload>(
    lookup,
    statement,
    decisionPayloadSchema,
    record.kioskId,
  );
  if (!checked.ok)
    return { ok: false, code: refusalCode(checked.problem, 'invalid-decision'), message: checked.message };
  const { payload } = checked;
  const mismatch =
    payload.applicationId !== record.id
      ? 'the decision names another application'
      : payload.kioskId !== record.kioskId
        ? 'the decision names another kiosk'
        : payload.applicationHash !== record.applicationHash
          ? 'the record is not the one the officer signed (applicationHash differs)'
          : null;
  if (mismatch !== null) return { ok: false, code: 'decision-mismatch', message: mismatch };
  return {
    ok: true,
    decision: {
      decision: payload.decision,
      reasons: payload.reasons,
      officerId: payload.officerId,
      keyId: payload.keyId,
      decidedAt: payload.decidedAt,
      payload: statement.payload,
      signature: statement.signature,
    },
  };
}

type ReleaseCheck = { ok: true; payload: ReleasePayload } | { ok: false; code: string; message: string };

/** A release statement, as a whole: the per-application rules are the store's. */
export async function checkRelease(
  lookup: OfficerLookup,
  statement: SignedStatement,
  signingKioskId: string,
): Promise<ReleaseCheck> {
  const checked = await checkOfficerStatement<ReleasePayload>(
    lookup,
    statement,
    releasePayloadSchema,
    signingKioskId,
  );
  if (!checked.ok)
    return { ok: false, code: refusalCode(checked.problem, 'invalid-release'), message: checked.message };
  if (checked.payload.kioskId !== signingKioskId) {
    return { ok: false, code: 'release-mismatch', message: 'the release names another kiosk' };
  }
  return { ok: true, payload: checked.payload };
}
