/**
 * Checkpoints: a signature over a chain's head (its seq and hash). Because every hash covers all
 * events before it, one valid checkpoint vouches for the whole chain up to its seq: whoever edits
 * the stored events and re-hashes them cannot make a new signature without the key.
 */
import { base64ToBytes, base64url, bytesToHex, fromBase64url } from '../lib/pem';
import { type AuditEvent, type AuditProblem, type ChainHead, GENESIS, verifyEvents } from './chain';

const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const ECDSA_SHA256 = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** A kiosk's checkpoint, signed with its device key (ECDSA P-256, IEEE P1363 r‖s, base64url). */
export interface AuditCheckpoint {
  seq: number;
  /** The hash of the event at `seq`. */
  hash: string;
  at: string;
  /** SHA-256 (hex) of the SPKI below: which key signed, also after the kiosk re-enrolled with a new one. */
  keyFingerprint: string;
  /** The signing key's SubjectPublicKeyInfo DER, base64. */
  publicKeySpki: string;
  signature: string;
}

export type UnsignedCheckpoint = Omit<AuditCheckpoint, 'signature'>;

/** The exact text signed: fixed order, tagged, so it can never be mistaken for an event. */
export function canonicalCheckpointText(c: Omit<UnsignedCheckpoint, 'publicKeySpki'>): string {
  return JSON.stringify(['sertel-audit-checkpoint-v1', c.seq, c.hash, c.at, c.keyFingerprint]);
}

export async function keyFingerprint(
  publicKeySpki: string,
  subtle: SubtleCrypto = crypto.subtle,
): Promise<string> {
  return bytesToHex(new Uint8Array(await subtle.digest('SHA-256', base64ToBytes(publicKeySpki))));
}

const utf8 = new TextEncoder();

export async function signCheckpoint(
  head: ChainHead,
  at: string,
  key: { privateKey: CryptoKey; publicKeySpki: string },
  subtle: SubtleCrypto = crypto.subtle,
): Promise<AuditCheckpoint> {
  const unsigned: UnsignedCheckpoint = {
    seq: head.seq,
    hash: head.hash,
    at,
    keyFingerprint: await keyFingerprint(key.publicKeySpki, subtle),
    publicKeySpki: key.publicKeySpki,
  };
  const signature = await subtle.sign(
    ECDSA_SHA256,
    key.privateKey,
    utf8.encode(canonicalCheckpointText(unsigned)),
  );
  return { ...unsigned, signature: base64url(new Uint8Array(signature)) };
}

export type CheckpointVerdict = 'ok' | 'bad-signature' | 'unknown-key';

/**
 * Checks a checkpoint's signature with the key it names. `trusted` says whether that key may sign
 * this chain (the server: a key some enrollment registered); a checkpoint whose fingerprint does
 * not match its key is a bad signature.
 */
export async function verifyCheckpointSignature(
  checkpoint: AuditCheckpoint,
  trusted: (publicKeySpki: string) => boolean = () => true,
  subtle: SubtleCrypto = crypto.subtle,
): Promise<CheckpointVerdict> {
  const raw = fromBase64url(checkpoint.signature);
  if (raw?.length !== 64) return 'bad-signature';
  try {
    if ((await keyFingerprint(checkpoint.publicKeySpki, subtle)) !== checkpoint.keyFingerprint)
      return 'bad-signature';
    const key = await subtle.importKey('spki', base64ToBytes(checkpoint.publicKeySpki), ECDSA_P256, false, [
      'verify',
    ]);
    const valid = await subtle.verify(
      ECDSA_SHA256,
      key,
      raw,
      utf8.encode(canonicalCheckpointText(checkpoint)),
    );
    if (!valid) return 'bad-signature';
  } catch {
    return 'bad-signature';
  }
  return trusted(checkpoint.publicKeySpki) ? 'ok' : 'unknown-key';
}

export interface ChainToVerify<C extends { seq: number; hash: string }> {
  /** In stored order. */
  events: readonly AuditEvent[];
  checkpoints: readonly C[];
  /** The event the first one follows; the genesis by default. */
  start?: ChainHead;
  verifyCheckpoint: (checkpoint: C) => Promise<CheckpointVerdict>;
  /** Report events after the last checkpoint (a chain at rest on the server must end on one). */
  requireCheckpointedHead?: boolean;
}

/** Links, hashes and checkpoints of one chain; an empty list means it verifies. */
export async function verifyChain<C extends { seq: number; hash: string }>(
  chain: ChainToVerify<C>,
  subtle: SubtleCrypto = crypto.subtle,
): Promise<AuditProblem[]> {
  const start = chain.start ?? GENESIS;
  const problems = await verifyEvents(chain.events, start, subtle);
  const hashAt = new Map(chain.events.map((e) => [e.seq, e.hash]));
  if (start.seq > 0) hashAt.set(start.seq, start.hash);
  let lastCovered = start.seq;
  for (const checkpoint of chain.checkpoints) {
    if (hashAt.get(checkpoint.seq) !== checkpoint.hash) {
      problems.push({ kind: 'checkpoint-mismatch', seq: checkpoint.seq });
      continue;
    }
    const verdict = await chain.verifyCheckpoint(checkpoint);
    if (verdict === 'bad-signature') problems.push({ kind: 'bad-checkpoint-signature', seq: checkpoint.seq });
    else if (verdict === 'unknown-key')
      problems.push({ kind: 'unknown-checkpoint-key', seq: checkpoint.seq });
    else lastCovered = Math.max(lastCovered, checkpoint.seq);
  }
  const head = chain.events.at(-1)?.seq ?? start.seq;
  if (chain.requireCheckpointedHead === true && head > lastCovered) {
    problems.push({ kind: 'head-not-checkpointed', seq: head, checkpointSeq: lastCovered });
  }
  return problems;
}
