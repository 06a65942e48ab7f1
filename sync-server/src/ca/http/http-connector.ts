/**
 * `CA_CONNECTOR=http`: the CaConnector calls of the RA mapped onto a CA's HTTP API by configuration
 * (http-config.ts) and, where templates fall short, a small mapping module. docs/ca-connector.md.
 *
 * Error messages name the operation, HTTP statuses and answer paths, never values from requests or
 * answers: a CA's answer may echo a NIK or a name, and these messages reach logs.
 */
import { X509Certificate } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as pkijs from 'pkijs';
import { z } from 'zod';
import { base64ToBytes, bytesToBase64, fromPem } from '../../../../src/core/lib/pem';
import {
  type CaConnector,
  type CaCrl,
  CaError,
  type CaErrorKind,
  type CaIssuedCertificate,
  type CaRequest,
  type CaRequestStatus,
  type CaRevocationRequest,
  type CaRevocationResult,
  type CaSubmitResult,
  REVOCATION_REASONS,
} from '../connector';
import { type HttpConnectorConfig, HttpConnectorConfigError, loadHttpConnectorConfig } from './http-config';
import {
  type Json,
  PathError,
  readList,
  readOne,
  renderPath,
  renderTemplate,
  TemplateError,
  type TemplateScope,
  variablesUsed,
} from './template';

export {
  type HttpConnectorConfig,
  HttpConnectorConfigError,
  type HttpConnectorConfigInput,
  httpConnectorConfigSchema,
  loadHttpConnectorConfig,
  parseHttpConnectorConfig,
} from './http-config';

/** What templates cannot express, per operation, in code (docs/ca-connector.md, "Mapping module"). */
export interface OperationMapping<In, Out> {
  /** The JSON body to send, in place of the body (and item) templates. */
  toRequest?(input: In): Json;
  /**
   * Reads a 2xx answer (the parsed JSON) in place of the response paths; throw on anything
   * unexpected. What it returns is checked like a template-read answer.
   */
  fromResponse?(answer: unknown, input: In): Out;
}

export interface HttpMappingModule {
  submit?: OperationMapping<readonly CaRequest[], CaSubmitResult>;
  poll?: OperationMapping<readonly string[], CaRequestStatus[]>;
  fetchCertificates?: OperationMapping<readonly string[], CaIssuedCertificate[]>;
  revoke?: OperationMapping<CaRevocationRequest, CaRevocationResult>;
}

export interface HttpConnectorDeps {
  fetch?: typeof fetch;
  mapping?: HttpMappingModule;
  /** Where `auth` reads its secret (default: process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Stands in for a revocation time the CA does not give. */
  now?: () => Date;
}

type OperationName = keyof HttpConnectorConfig['operations'];
type Operation = HttpConnectorConfig['operations'][OperationName];

interface Answer {
  status: number;
  bytes: Uint8Array;
}

const MAX_REFERENCE = 256;
const MAX_REASON = 1000;

const fail = (kind: CaErrorKind, op: OperationName, message: string, cause?: unknown) =>
  new CaError(kind, `CA http ${op}: ${message}`, cause === undefined ? undefined : { cause });

/** A machine code from an error answer (`{"error":{"code":"x"}}`, `{"code":"x"}`, `{"error":"x"}`). */
function safeCode(bytes: Uint8Array): string | null {
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
  const record = (v: unknown) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {});
  const error = record(body).error;
  const candidates = [record(error).code, record(body).code, error];
  // Lower-case dashed words only: never a name (upper case, spaces), an e-mail or a NIK (a letter first).
  const code = candidates.find((c) => typeof c === 'string' && /^[a-z][a-z0-9]*([._-][a-z0-9]+)*$/.test(c));
  return typeof code === 'string' && code.length <= 48 ? code : null;
}

function statusError(op: OperationName, answer: Answer): CaError {
  const { status } = answer;
  const code = safeCode(answer.bytes);
  const suffix = code ? ` (${code})` : '';
  if (status >= 500 || status === 408 || status === 429) {
    return fail('unavailable', op, `the CA answered HTTP ${status}${suffix}`);
  }
  if (status >= 300 && status < 400) {
    return fail(
      'refused',
      op,
      `the CA answered a redirect (HTTP ${status}): set baseUrl to the final address`,
    );
  }
  return fail('refused', op, `the CA refused the call with HTTP ${status}${suffix}`);
}

/** An error's class name for a message; anything else a thrown value holds may be personal data. */
function errorName(err: unknown): string {
  const name = err instanceof Error ? err.name : null;
  return name !== null && /^[A-Za-z][A-Za-z0-9]{0,39}$/.test(name) ? name : 'an error';
}

/** The system's code for a failed connection (ECONNREFUSED, ECONNRESET, ENOTFOUND …). */
function networkCode(err: unknown): string {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e !== null && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return 'network error';
}

async function readCapped(response: Response, max: number): Promise<Uint8Array | null> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > max) {
    await response.body?.cancel();
    return null;
  }
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

function parseJson(op: OperationName, answer: Answer): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(answer.bytes));
  } catch {
    // No cause: a JSON SyntaxError quotes the text around the fault, which may be personal data.
    throw fail('malformed', op, `the answer (HTTP ${answer.status}) is not JSON`);
  }
}

function text(value: unknown, max: number, what: string): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '' && value.length <= max) return value;
  throw new PathError(`${what} is not text of 1 to ${max} characters`);
}

function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The certificate as PEM, from PEM or base64 DER; throws PathError when it is no certificate. */
function certificatePem(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new PathError(`${what} is not text`);
  const trimmed = value.trim();
  try {
    const cert = trimmed.startsWith('-----BEGIN')
      ? new X509Certificate(trimmed)
      : new X509Certificate(Buffer.from(base64ToBytes(trimmed.replace(/\s+/g, ''))));
    return cert.toString();
  } catch {
    throw new PathError(`${what} is not a certificate (PEM or base64 DER)`);
  }
}

function chainPems(value: unknown, what: string): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') {
    const blocks = value.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
    if (blocks.length === 0 && value.trim() !== '') throw new PathError(`${what} holds no PEM certificate`);
    return blocks.map((b, i) => certificatePem(b, `${what}[${i}]`));
  }
  if (!Array.isArray(value)) throw new PathError(`${what} is not a list of certificates`);
  return value.map((v, i) => certificatePem(v, `${what}[${i}]`));
}

function parseCrl(der: Uint8Array): CaCrl {
  const crl = pkijs.CertificateRevocationList.fromBER(der.slice());
  const date = (t: pkijs.Time | undefined) => (t ? t.value.toISOString() : null);
  return { der, thisUpdate: date(crl.thisUpdate) ?? '', nextUpdate: date(crl.nextUpdate) };
}

/**
 * Answers put back in the order asked: none twice, none not asked, and with `complete` every asked
 * key once (a certificate answer may leave out references not yet issued).
 */
function inAskedOrder<T>(
  asked: readonly string[],
  answers: readonly T[],
  keyOf: (t: T) => string,
  complete: boolean,
): T[] {
  const byKey = new Map<string, T>();
  for (const answer of answers) {
    const key = keyOf(answer);
    if (!asked.includes(key)) throw new PathError('the answer names a reference that was not asked');
    if (byKey.has(key)) throw new PathError('the answer names one reference twice');
    byKey.set(key, answer);
  }
  const missing = asked.filter((k) => !byKey.has(k)).length;
  if (complete && missing > 0) {
    throw new PathError(`the answer leaves ${missing} of ${asked.length} references out`);
  }
  return asked.flatMap((k) => {
    const answer = byKey.get(k);
    return answer === undefined ? [] : [answer];
  });
}

const submitResultSchema = z.object({
  accepted: z.array(z.object({ applicationId: z.string(), caReference: z.string() })),
  refused: z.array(z.object({ applicationId: z.string(), reason: z.string() })),
});
const statusSchema = z.union([
  z.object({ caReference: z.string(), status: z.enum(['pending', 'issued', 'unknown']) }),
  z.object({ caReference: z.string(), status: z.literal('rejected'), reason: z.string() }),
]);
const certificateSchema = z.object({
  caReference: z.string(),
  certificatePem: z.string(),
  chainPem: z.array(z.string()),
});
const revocationSchema = z.union([
  z.object({ status: z.enum(['revoked', 'already-revoked']), revokedAt: z.string() }),
  z.object({ status: z.literal('unknown-certificate') }),
]);

/** Checks a submit answer of one call: every request answered exactly once, references usable. */
function checkSubmit(result: CaSubmitResult, chunk: readonly CaRequest[]): CaSubmitResult {
  const asked = new Set(chunk.map((r) => r.applicationId));
  const seen = new Set<string>();
  for (const { applicationId } of [...result.accepted, ...result.refused]) {
    if (!asked.has(applicationId)) throw new PathError('the answer names an application that was not sent');
    if (seen.has(applicationId)) throw new PathError('the answer names one application twice');
    seen.add(applicationId);
  }
  if (seen.size !== asked.size) {
    throw new PathError(`the answer leaves ${asked.size - seen.size} of ${asked.size} requests unanswered`);
  }
  return {
    accepted: result.accepted.map((a, i) => ({
      applicationId: a.applicationId,
      caReference: text(a.caReference, MAX_REFERENCE, `accepted[${i}] reference`),
    })),
    refused: result.refused.map((r) => ({
      applicationId: r.applicationId,
      reason: r.reason.trim().slice(0, MAX_REASON) || 'refused by the CA',
    })),
  };
}

export function createHttpConnector(config: HttpConnectorConfig, deps: HttpConnectorDeps = {}): CaConnector {
  const fetchFn = deps.fetch ?? globalThis.fetch;
  const mapping = deps.mapping ?? {};
  const env = deps.env ?? process.env;
  const now = deps.now ?? (() => new Date());
  const ops = config.operations;
  const baseUrl = config.baseUrl.replace(/\/+$/, '');

  const authHeaders: Record<string, string> = {};
  if (config.auth.type !== 'none') {
    const name = config.auth.type === 'bearer' ? config.auth.tokenEnv : config.auth.valueEnv;
    const secret = env[name];
    if (!secret) throw new HttpConnectorConfigError(`${name} is not set (the CA HTTP configuration's auth)`);
    if (config.auth.type === 'bearer') authHeaders.authorization = `Bearer ${secret}`;
    else authHeaders[config.auth.name.toLowerCase()] = secret;
  }
  if (config.mappingModule !== undefined && deps.mapping === undefined) {
    // Reading answers without the module the configuration names would read them wrongly.
    throw new HttpConnectorConfigError(
      'the configuration names a mappingModule: create the connector with createHttpConnectorFromFile',
    );
  }
  const unread = (
    [
      ['submit', ops.submit.response, mapping.submit],
      ['poll', ops.poll.response, mapping.poll],
      ['fetchCertificates', ops.fetchCertificates.response, mapping.fetchCertificates],
      ['revoke', ops.revoke.response, mapping.revoke],
    ] as const
  ).filter(([, response, m]) => response === undefined && m?.fromResponse === undefined);
  if (unread.length > 0) {
    throw new HttpConnectorConfigError(
      `operations.${unread.map(([n]) => n).join(', ')}: give a response (paths) or a mapping module fromResponse`,
    );
  }
  const itemUsesDocuments = variablesUsed(ops.submit.item).has('documents');
  const lookups = config.lookups;
  const closed = new AbortController();

  /** One HTTP call; a non-2xx status not in `passOn` becomes a CaError. */
  async function send(
    op: OperationName,
    operation: Operation,
    path: string,
    body: Json | undefined,
    passOn: readonly number[] = [],
  ): Promise<Answer> {
    if (closed.signal.aborted) throw fail('unavailable', op, 'the connector is closed');
    const timeout = AbortSignal.timeout(config.timeoutMs);
    const signal = AbortSignal.any([timeout, closed.signal]);
    const headers: Record<string, string> = {
      accept: op === 'fetchCrl' ? 'application/pkix-crl, application/json;q=0.5' : 'application/json',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...operation.headers,
      ...authHeaders,
    };
    const failed = (err: unknown, stage: string) => {
      if (closed.signal.aborted) return fail('unavailable', op, 'the connector was closed');
      if (timeout.aborted) return fail('timeout', op, `no answer within ${config.timeoutMs} ms`);
      return fail('unavailable', op, `${stage}: ${networkCode(err)}`, err);
    };
    let response: Response;
    try {
      response = await fetchFn(`${baseUrl}${path}`, {
        method: operation.method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        // A redirect is a configuration fault, and following it could carry the credential elsewhere.
        redirect: 'manual',
        signal,
      });
    } catch (err) {
      throw failed(err, 'cannot reach the CA');
    }
    let bytes: Uint8Array | null;
    try {
      bytes = await readCapped(response, config.maxResponseBytes);
    } catch (err) {
      throw failed(err, 'the answer broke off');
    }
    if (bytes === null) throw fail('malformed', op, `the answer exceeds ${config.maxResponseBytes} bytes`);
    const answer = { status: response.status, bytes };
    if ((answer.status >= 200 && answer.status < 300) || passOn.includes(answer.status)) return answer;
    throw statusError(op, answer);
  }

  /** Runs a step that reads or renders; its faults become CaErrors of the operation. */
  async function step<T>(op: OperationName, run: () => T | Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof CaError) throw err;
      if (err instanceof PathError) throw fail('malformed', op, err.message);
      if (err instanceof z.ZodError) {
        throw fail(
          'malformed',
          op,
          `the mapping module answered the wrong shape at ${err.issues[0]?.path.join('.')}`,
        );
      }
      // A template fault is configuration: not worth retrying unchanged.
      if (err instanceof TemplateError) {
        throw fail('refused', op, `the request template failed: ${err.message}`);
      }
      // Our own fault; no cause attached, as it may hold request values.
      throw fail('malformed', op, `unexpected ${errorName(err)}`);
    }
  }

  /** Mapping code may throw anything; a throw while building a request is configuration. */
  function buildWith<In>(op: OperationName, toRequest: (input: In) => Json, input: In): Json {
    try {
      return toRequest(input);
    } catch (err) {
      throw fail('refused', op, `the mapping module's toRequest threw ${errorName(err)}`);
    }
  }

  /** Path and body of one call: the mapping module's toRequest when it has one, else the templates. */
  function build<In>(
    op: OperationName,
    operation: Operation,
    toRequest: ((input: In) => Json) | undefined,
    input: In,
    scope: TemplateScope,
  ): Promise<{ path: string; body: Json | undefined }> {
    return step(op, () => ({
      path: renderPath(operation.path, scope, lookups),
      body: toRequest
        ? buildWith(op, toRequest, input)
        : operation.body === undefined
          ? undefined
          : renderTemplate(operation.body, scope, lookups),
    }));
  }

  /** A throw while reading an answer means the answer is unreadable. */
  function readWith<In, Out>(
    op: OperationName,
    fromResponse: (answer: unknown, input: In) => Out,
    answer: unknown,
    input: In,
  ): Out {
    try {
      return fromResponse(answer, input);
    } catch (err) {
      throw fail('malformed', op, `the mapping module's fromResponse threw ${errorName(err)}`);
    }
  }

  function itemScope(request: CaRequest): TemplateScope {
    return {
      values: {
        applicationId: request.applicationId,
        certificateType: request.certificateType,
        csr: request.csrPem,
        'holder.nama': request.nama,
        'holder.nik': request.nik,
        'holder.nip': request.nip,
        'holder.email': request.email,
        'holder.perangkatDaerah': request.perangkatDaerah,
        'holder.jabatan': request.jabatan,
        'holder.host': request.host,
        'holder.mobile': request.mobile,
        // Encoded only when the template lists them: scans are large.
        documents: itemUsesDocuments
          ? request.attachments.map((a) => ({
              kind: a.kind,
              mediaType: a.mediaType,
              base64: bytesToBase64(a.data),
            }))
          : [],
      },
      documents: request.attachments,
    };
  }

  async function submitChunk(chunk: CaRequest[]): Promise<CaSubmitResult> {
    const op = ops.submit;
    const m = mapping.submit;
    const one = chunk.length === 1 ? chunk[0] : undefined;
    // Items rendered up front: the body template places them (`{{items}}`, `{{item}}`).
    const items = await step('submit', () =>
      op.item === undefined || m?.toRequest
        ? []
        : chunk.map((r) => renderTemplate(op.item ?? null, itemScope(r), lookups)),
    );
    const scope: TemplateScope = {
      values: {
        items,
        count: chunk.length,
        ...(one ? { item: items[0] ?? null, applicationId: one.applicationId } : {}),
      },
    };
    const { path, body } = await build('submit', op, m?.toRequest, chunk, scope);
    const answer = await send('submit', op, path, body, op.refusalStatuses);
    if (answer.status < 200 || answer.status >= 300) {
      // One request refused by status (config ensures batchSize 1): its reason from the answer if any.
      let reason = `refused by the CA (HTTP ${answer.status})`;
      if (op.refusalReason !== undefined) {
        try {
          const found = readOne(JSON.parse(new TextDecoder().decode(answer.bytes)), op.refusalReason);
          if (typeof found === 'string' && found.trim() !== '') reason = found;
        } catch {
          // no readable reason: keep the status
        }
      }
      return checkSubmit(
        { accepted: [], refused: [{ applicationId: one?.applicationId ?? '', reason }] },
        chunk,
      );
    }
    const json = parseJson('submit', answer);
    return step('submit', () => {
      if (m?.fromResponse) {
        return checkSubmit(submitResultSchema.parse(readWith('submit', m.fromResponse, json, chunk)), chunk);
      }
      const r = op.response;
      if (r === undefined) throw new PathError('no response paths');
      const references = readList(json, r.acceptedReferences);
      if (r.acceptedApplicationIds === undefined) {
        if (references.length !== chunk.length) {
          throw new PathError(
            `the answer holds ${references.length} references for ${chunk.length} requests`,
          );
        }
        return checkSubmit(
          {
            accepted: chunk.map((q, i) => ({
              applicationId: q.applicationId,
              caReference: text(references[i], MAX_REFERENCE, `reference ${i}`),
            })),
            refused: [],
          },
          chunk,
        );
      }
      const ids = readList(json, r.acceptedApplicationIds);
      const refusedIds = r.refusedApplicationIds === undefined ? [] : readList(json, r.refusedApplicationIds);
      const reasons =
        r.refusedReasons === undefined ? [] : readList(json, r.refusedReasons, { optionalLeaf: true });
      if (ids.length !== references.length || (r.refusedReasons && reasons.length !== refusedIds.length)) {
        throw new PathError('the answer lists ids and references (or reasons) of different lengths');
      }
      return checkSubmit(
        {
          accepted: ids.map((id, i) => ({
            applicationId: text(id, MAX_REFERENCE, `accepted application id ${i}`),
            caReference: text(references[i], MAX_REFERENCE, `reference ${i}`),
          })),
          refused: refusedIds.map((id, i) => ({
            applicationId: text(id, MAX_REFERENCE, `refused application id ${i}`),
            reason: typeof reasons[i] === 'string' ? (reasons[i] as string) : 'refused by the CA',
          })),
        },
        chunk,
      );
    });
  }

  function referenceScope(chunk: readonly string[]): TemplateScope {
    return {
      values: {
        references: [...chunk],
        count: chunk.length,
        ...(chunk.length === 1 ? { reference: chunk[0] ?? '' } : {}),
      },
    };
  }

  /** Splits the asked references (duplicates asked once), calls per chunk, answers in the asked order. */
  async function perReference<T extends { caReference: string }>(
    references: readonly string[],
    size: number,
    call: (chunk: string[]) => Promise<T[]>,
  ): Promise<T[]> {
    const unique = [...new Set(references)];
    const byReference = new Map<string, T>();
    for (const chunk of chunksOf(unique, size)) {
      for (const answer of await call(chunk)) byReference.set(answer.caReference, answer);
    }
    return references.flatMap((r) => {
      const answer = byReference.get(r);
      return answer === undefined ? [] : [answer];
    });
  }

  async function pollChunk(chunk: string[]): Promise<CaRequestStatus[]> {
    const op = ops.poll;
    const m = mapping.poll;
    const { path, body } = await build('poll', op, m?.toRequest, chunk, referenceScope(chunk));
    const json = parseJson('poll', await send('poll', op, path, body));
    return step('poll', () => {
      if (m?.fromResponse) {
        const statuses = z.array(statusSchema).parse(readWith('poll', m.fromResponse, json, chunk));
        return inAskedOrder(chunk, statuses, (s) => s.caReference, true);
      }
      const r = op.response;
      if (r === undefined) throw new PathError('no response paths');
      const words = readList(json, r.statuses);
      const references = r.references === undefined ? null : readList(json, r.references);
      const reasons = r.reasons === undefined ? null : readList(json, r.reasons, { optionalLeaf: true });
      if (
        (references && references.length !== words.length) ||
        (reasons && reasons.length !== words.length)
      ) {
        throw new PathError('the answer lists statuses and references (or reasons) of different lengths');
      }
      if (!references && words.length !== chunk.length) {
        throw new PathError(`the answer holds ${words.length} statuses for ${chunk.length} references`);
      }
      const statuses = words.map((word, i): CaRequestStatus => {
        const caReference = references
          ? text(references[i], MAX_REFERENCE, `reference ${i}`)
          : (chunk[i] ?? '');
        const key = typeof word === 'string' || typeof word === 'number' ? String(word) : null;
        // The word itself stays out of the message: a wrong path could point at personal data.
        if (key === null || !Object.hasOwn(op.statusMap, key)) {
          throw new PathError(`status ${i} is not a word listed in statusMap`);
        }
        const status = op.statusMap[key];
        if (status === 'rejected') {
          const reason = reasons?.[i];
          return {
            caReference,
            status,
            reason:
              typeof reason === 'string' && reason.trim()
                ? reason.slice(0, MAX_REASON)
                : 'rejected by the CA',
          };
        }
        return { caReference, status: status ?? 'unknown' };
      });
      return inAskedOrder(chunk, statuses, (s) => s.caReference, true);
    });
  }

  async function certificatesChunk(chunk: string[]): Promise<CaIssuedCertificate[]> {
    const op = ops.fetchCertificates;
    const m = mapping.fetchCertificates;
    const { path, body } = await build('fetchCertificates', op, m?.toRequest, chunk, referenceScope(chunk));
    const json = parseJson('fetchCertificates', await send('fetchCertificates', op, path, body));
    return step('fetchCertificates', () => {
      let found: CaIssuedCertificate[];
      if (m?.fromResponse) {
        found = z.array(certificateSchema).parse(readWith('fetchCertificates', m.fromResponse, json, chunk));
      } else {
        const r = op.response;
        if (r === undefined) throw new PathError('no response paths');
        const certificates = readList(json, r.certificates);
        const references = r.references === undefined ? null : readList(json, r.references);
        const chains = r.chains === undefined ? null : readList(json, r.chains, { optionalLeaf: true });
        if (
          (references && references.length !== certificates.length) ||
          (chains && chains.length !== certificates.length)
        ) {
          throw new PathError(
            'the answer lists certificates and references (or chains) of different lengths',
          );
        }
        if (!references && certificates.length !== chunk.length) {
          throw new PathError(
            `the answer holds ${certificates.length} certificates for ${chunk.length} references`,
          );
        }
        found = certificates.map((c, i) => ({
          caReference: references ? text(references[i], MAX_REFERENCE, `reference ${i}`) : (chunk[i] ?? ''),
          certificatePem: c as string,
          chainPem: (chains?.[i] ?? []) as string[],
        }));
      }
      const checked = found.map((c, i) => ({
        caReference: c.caReference,
        certificatePem: certificatePem(c.certificatePem, `certificate ${i}`),
        chainPem: chainPems(c.chainPem, `chain ${i}`),
      }));
      return inAskedOrder(chunk, checked, (c) => c.caReference, false);
    });
  }

  return {
    name: 'http',

    async submit(requests) {
      // The application id is the idempotency key: one request per id per call.
      const unique = [...new Map(requests.map((r) => [r.applicationId, r])).values()];
      const result: CaSubmitResult = { accepted: [], refused: [] };
      for (const chunk of chunksOf(unique, ops.submit.batchSize ?? config.batchSize)) {
        const answer = await submitChunk(chunk);
        result.accepted.push(...answer.accepted);
        result.refused.push(...answer.refused);
      }
      return result;
    },

    poll(references) {
      return perReference(references, ops.poll.batchSize ?? config.batchSize, pollChunk);
    },

    fetchCertificates(references) {
      return perReference(references, ops.fetchCertificates.batchSize ?? config.batchSize, certificatesChunk);
    },

    async revoke(request) {
      const op = ops.revoke;
      const m = mapping.revoke;
      const scope: TemplateScope = {
        values: {
          serialNumber: request.serialNumberHex,
          reason: request.reason,
          reasonCode: REVOCATION_REASONS[request.reason],
          requestId: request.requestId,
        },
      };
      const { path, body } = await build('revoke', op, m?.toRequest, request, scope);
      const unknownStatuses = op.unknownCertificateStatuses ?? [];
      const answer = await send('revoke', op, path, body, unknownStatuses);
      if (unknownStatuses.includes(answer.status)) return { status: 'unknown-certificate' };
      const json = parseJson('revoke', answer);
      return step('revoke', (): CaRevocationResult => {
        if (m?.fromResponse) return revocationSchema.parse(readWith('revoke', m.fromResponse, json, request));
        const r = op.response;
        if (r === undefined) throw new PathError('no response paths');
        const word = readOne(json, r.status);
        const key = typeof word === 'string' || typeof word === 'number' ? String(word) : null;
        if (key === null || !Object.hasOwn(op.statusMap, key)) {
          throw new PathError('the status is not a word listed in statusMap');
        }
        const status = op.statusMap[key] ?? 'unknown-certificate';
        if (status === 'unknown-certificate') return { status };
        if (r.revokedAt === undefined) return { status, revokedAt: now().toISOString() };
        const at = readOne(json, r.revokedAt);
        const date = typeof at === 'string' || typeof at === 'number' ? new Date(at) : null;
        if (date === null || Number.isNaN(date.getTime())) {
          throw new PathError(`${r.revokedAt} is not a time`);
        }
        return { status, revokedAt: date.toISOString() };
      });
    },

    async fetchCrl() {
      const op = ops.fetchCrl;
      const path = await step('fetchCrl', () => renderPath(op.path, { values: {} }, lookups));
      const answer = await send('fetchCrl', op, path, op.body);
      const field = op.field;
      const json = field === undefined ? undefined : parseJson('fetchCrl', answer);
      return step('fetchCrl', () => {
        let der: Uint8Array | null = answer.bytes;
        const bytesText = (bytes: Uint8Array) => new TextDecoder().decode(bytes).trim();
        if (field !== undefined) {
          const value = readOne(json, field);
          if (typeof value !== 'string') throw new PathError(`${field} is not text`);
          der = value.trim().startsWith('-----BEGIN')
            ? fromPem('X509 CRL', value.trim())
            : fromPem('X509 CRL', `-----BEGIN X509 CRL-----\n${value.trim()}\n-----END X509 CRL-----`);
        } else if (bytesText(answer.bytes.subarray(0, 16)).startsWith('-----BEGIN')) {
          der = fromPem('X509 CRL', bytesText(answer.bytes));
        }
        if (der === null) throw new PathError('the answer holds no CRL (PEM or DER)');
        try {
          return parseCrl(der);
        } catch {
          throw new PathError('the answer is not a CRL');
        }
      });
    },

    async close() {
      closed.abort();
    },
  };
}

/** Loads a mapping module (JavaScript; TypeScript only under tsx): its default export or its exports. */
export async function loadHttpMappingModule(file: string): Promise<HttpMappingModule> {
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(pathToFileURL(resolve(file)).href)) as Record<string, unknown>;
  } catch (err) {
    throw new HttpConnectorConfigError(`Cannot load the CA mapping module ${file}`, { cause: err });
  }
  const candidate = (loaded.default ?? loaded) as Record<string, unknown>;
  for (const op of ['submit', 'poll', 'fetchCertificates', 'revoke'] as const) {
    const entry = candidate[op];
    if (entry === undefined) continue;
    const functions = entry as Record<string, unknown>;
    if (
      typeof entry !== 'object' ||
      entry === null ||
      !['toRequest', 'fromResponse'].every(
        (f) => functions[f] === undefined || typeof functions[f] === 'function',
      )
    ) {
      throw new HttpConnectorConfigError(
        `${file}: ${op} must be an object of toRequest/fromResponse functions`,
      );
    }
  }
  return candidate as HttpMappingModule;
}

/** CA_HTTP_CONFIG in one call: the configuration and, when it names one, its mapping module. */
export async function createHttpConnectorFromFile(
  file: string,
  deps: HttpConnectorDeps = {},
): Promise<CaConnector> {
  const config = loadHttpConnectorConfig(file);
  const mapping =
    deps.mapping ??
    (config.mappingModule === undefined ? undefined : await loadHttpMappingModule(config.mappingModule));
  return createHttpConnector(config, { ...deps, ...(mapping ? { mapping } : {}) });
}
