/**
 * Any CaConnector served as a batch HTTP API: how the dev CA is reached over the network, and the
 * reference shape the HTTP connector's configuration is written against (reference-mapping.json,
 * docs/ca-connector.md "The reference API").
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { CERTIFICATE_TYPES } from '../../../../src/core/certificate/types';
import { base64ToBytes } from '../../../../src/core/lib/pem';
import { declaredBodyLimit } from '../../http/body-limit';
import { ApiError } from '../../http/errors';
import { readJson, schemaError } from '../../http/json';
import {
  type CaConnector,
  CaError,
  type CaErrorKind,
  type CaRequest,
  REVOCATION_REASONS,
} from '../connector';

export const CA_API_LIMITS = {
  maxBatch: 200,
  maxReferences: 500,
  maxDocuments: 8,
  /** Base64 characters of one document: about 12 MiB of file. */
  maxDocumentBase64: 16 * 1024 * 1024,
  maxCsrChars: 32_000,
  defaultMaxBodyBytes: 64 * 1024 * 1024,
} as const;

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullable().default(null);
const reference = text(256);

const base64 = z
  .string()
  .max(CA_API_LIMITS.maxDocumentBase64)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64')
  .refine((v) => v.length % 4 === 0, 'not base64 (length)');

export const caBatchRequestSchema = z.strictObject({
  requests: z
    .array(
      z.strictObject({
        applicationId: text(128),
        certificateType: z.enum(CERTIFICATE_TYPES),
        csr: z
          .string()
          .max(CA_API_LIMITS.maxCsrChars)
          .regex(/-----BEGIN CERTIFICATE REQUEST-----/, 'not a PEM certificate request'),
        holder: z.strictObject({
          nama: text(200),
          nik: z.string().regex(/^\d{16}$/, 'a NIK is 16 digits'),
          nip: z
            .string()
            .regex(/^\d{18}$/, 'a NIP is 18 digits')
            .nullable()
            .default(null),
          email: z.email().max(254),
          perangkatDaerah: text(200),
          jabatan: optionalText(200),
          host: optionalText(253),
          mobile: optionalText(32),
        }),
        documents: z
          .array(
            z.strictObject({
              kind: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a kind like ektp or sk-pengangkatan'),
              mediaType: z.string().regex(/^[a-z]+\/[a-z0-9.+-]{1,100}$/, 'a media type like image/jpeg'),
              base64,
            }),
          )
          .max(CA_API_LIMITS.maxDocuments)
          .default([]),
      }),
    )
    .min(1)
    .max(CA_API_LIMITS.maxBatch)
    .superRefine((requests, ctx) => {
      const seen = new Set<string>();
      for (const [i, r] of requests.entries()) {
        if (seen.has(r.applicationId)) {
          ctx.addIssue({ code: 'custom', path: [i, 'applicationId'], message: 'appears twice in the batch' });
        }
        seen.add(r.applicationId);
      }
    }),
});
export type CaBatchRequest = z.input<typeof caBatchRequestSchema>;

export interface CaBatchResponse {
  accepted: { applicationId: string; reference: string }[];
  refused: { applicationId: string; reason: string }[];
}

export const caReferencesRequestSchema = z.strictObject({
  references: z.array(reference).min(1).max(CA_API_LIMITS.maxReferences),
});

export interface CaStatusResponse {
  statuses: { reference: string; status: 'pending' | 'issued' | 'rejected' | 'unknown'; reason?: string }[];
}

export interface CaCertificatesResponse {
  certificates: { reference: string; certificate: string; chain: string[] }[];
}

export const caRevocationRequestSchema = z.strictObject({
  serialNumber: z
    .string()
    .regex(/^[0-9A-Fa-f]{1,64}$/, 'hex digits')
    .transform((s) => s.toLowerCase()),
  reason: z.enum(Object.keys(REVOCATION_REASONS) as [keyof typeof REVOCATION_REASONS]),
  requestId: text(128),
});

export type CaRevocationResponse =
  | { status: 'revoked' | 'already-revoked'; revokedAt: string }
  | { status: 'unknown-certificate' };

const CA_ERRORS: Record<CaErrorKind, { status: ContentfulStatusCode; code: string; message: string }> = {
  unavailable: { status: 503, code: 'ca-unavailable', message: 'The CA is unavailable; try again later' },
  timeout: { status: 503, code: 'ca-timeout', message: 'The CA did not answer in time; try again later' },
  malformed: { status: 502, code: 'ca-malformed', message: 'The CA gave an answer that could not be read' },
  refused: { status: 422, code: 'ca-refused', message: 'The CA refused the request' },
};

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

async function parse<S extends z.ZodType>(request: Request, schema: S): Promise<z.output<S>> {
  const parsed = schema.safeParse(await readJson(request));
  if (!parsed.success)
    throw schemaError(parsed.error, 'invalid-request', 'The request does not match the CA API');
  return parsed.data;
}

export interface CaHttpAppOptions {
  /** Bearer token every call must carry; absent = open (a development CA on loopback only). */
  token?: string;
  /** Largest request body (default 64 MiB): a batch of scans is big, the limit is not. */
  maxBodyBytes?: number;
}

export function caHttpApp(connector: CaConnector, options: CaHttpAppOptions = {}): Hono {
  const app = new Hono();
  const expected = options.token === undefined ? null : digest(`Bearer ${options.token}`);

  if (expected !== null) {
    app.use('*', async (c, next) => {
      // Digests first: equal lengths for timingSafeEqual, and no early exit on the first wrong byte.
      if (!timingSafeEqual(digest(c.req.header('authorization') ?? ''), expected)) {
        c.header('www-authenticate', 'Bearer');
        throw new ApiError(401, 'unauthorized', 'A valid bearer token is required');
      }
      await next();
    });
  }
  app.use(
    '*',
    declaredBodyLimit({
      maxSize: options.maxBodyBytes ?? CA_API_LIMITS.defaultMaxBodyBytes,
      onError: (c) =>
        c.json(new ApiError(413, 'body-too-large', 'The request body is too large').toBody(), 413),
    }),
  );

  app.post('/batches', async (c) => {
    const { requests } = await parse(c.req.raw, caBatchRequestSchema);
    const caRequests = requests.map(
      (r): CaRequest => ({
        applicationId: r.applicationId,
        certificateType: r.certificateType,
        csrPem: r.csr,
        nama: r.holder.nama,
        nik: r.holder.nik,
        nip: r.holder.nip,
        email: r.holder.email,
        perangkatDaerah: r.holder.perangkatDaerah,
        jabatan: r.holder.jabatan,
        host: r.holder.host,
        mobile: r.holder.mobile,
        attachments: r.documents.map((d) => ({
          kind: d.kind,
          mediaType: d.mediaType,
          data: base64ToBytes(d.base64),
        })),
      }),
    );
    const result = await connector.submit(caRequests);
    return c.json({
      accepted: result.accepted.map((a) => ({ applicationId: a.applicationId, reference: a.caReference })),
      refused: result.refused,
    } satisfies CaBatchResponse);
  });

  app.post('/requests/status', async (c) => {
    const { references } = await parse(c.req.raw, caReferencesRequestSchema);
    const statuses = await connector.poll(references);
    return c.json({
      statuses: statuses.map((s) => ({
        reference: s.caReference,
        status: s.status,
        ...(s.status === 'rejected' ? { reason: s.reason } : {}),
      })),
    } satisfies CaStatusResponse);
  });

  app.post('/requests/certificates', async (c) => {
    const { references } = await parse(c.req.raw, caReferencesRequestSchema);
    const certificates = await connector.fetchCertificates(references);
    return c.json({
      certificates: certificates.map((x) => ({
        reference: x.caReference,
        certificate: x.certificatePem,
        chain: x.chainPem,
      })),
    } satisfies CaCertificatesResponse);
  });

  app.post('/revocations', async (c) => {
    const body = await parse(c.req.raw, caRevocationRequestSchema);
    const result = await connector.revoke({
      serialNumberHex: body.serialNumber,
      reason: body.reason,
      requestId: body.requestId,
    });
    return c.json(result satisfies CaRevocationResponse);
  });

  app.get('/crl', async (c) => {
    const crl = await connector.fetchCrl();
    return c.body(crl.der.slice(), 200, { 'content-type': 'application/pkix-crl' });
  });

  app.notFound((c) => c.json(new ApiError(404, 'not-found', 'No such endpoint').toBody(), 404));

  app.onError((err, c) => {
    if (err instanceof ApiError) return c.json(err.toBody(), err.status);
    if (err instanceof CaError) {
      // The CA's own words stay inside: a fixed message per kind is all a caller needs to retry or stop.
      const { status, code, message } = CA_ERRORS[err.kind];
      return c.json(new ApiError(status, code, message).toBody(), status);
    }
    return c.json(new ApiError(500, 'internal', 'Internal error').toBody(), 500);
  });

  return app;
}
