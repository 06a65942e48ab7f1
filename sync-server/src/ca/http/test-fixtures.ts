/**
 * Shared by the tests of the HTTP CA connector and API: CA requests with real CSRs, servers on
 * real loopback ports, and the reference configuration pointed at them.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { certificateProfiles } from '../../../../src/app/certificate-profiles';
import { createCsr } from '../../../../src/core/certificate/csr';
import { generateApplicantKeyPair } from '../../../../src/core/certificate/keys';
import { renderProfile } from '../../../../src/core/certificate/profile';
import type { CertificateType, KeyAlgorithm } from '../../../../src/core/certificate/types';
import type { CaRequest } from '../connector';
import { type HttpConnectorConfig, parseHttpConnectorConfig } from './http-config';
import reference from './reference-mapping.json' with { type: 'json' };

export const TOKEN = 'test-token-0123456789abcdef';
/** Values that must never show in an error message. */
export const NIK = '3577014101900003';
export const NAMA = 'SITI RAHAYU';

export interface RequestOptions {
  type?: CertificateType;
  keyAlgorithm?: KeyAlgorithm;
  /** The CSR is made for this name while the request says NAMA: a request the CA must refuse. */
  csrNama?: string;
}

/** A request the dev CA accepts: its CSR rendered from the same profile the CA checks against. */
export async function caRequest(options: RequestOptions = {}): Promise<CaRequest> {
  const type = options.type ?? 'individu';
  const keyAlgorithm = options.keyAlgorithm ?? 'ECDSA-P256';
  const data = {
    nama: NAMA,
    email: 'siti.rahayu@madiunkota.go.id',
    perangkatDaerah: 'Dinas Komunikasi dan Informatika',
    nip: '199001012015032001',
    jabatan: type === 'jabatan' ? 'Kepala Bidang Persandian' : null,
    host: type === 'sistem-elektronik' ? 'sertel.madiunkota.go.id' : null,
  };
  const rendered = renderProfile(
    certificateProfiles,
    type,
    { ...data, nama: options.csrNama ?? data.nama },
    keyAlgorithm,
  );
  if (!rendered.ok) throw new Error(`profile: ${JSON.stringify(rendered.problem)}`);
  const csrPem = await createCsr({
    subject: rendered.value.subject,
    emails: rendered.value.emails,
    dnsNames: rendered.value.dnsNames,
    keyUsage: rendered.value.keyUsage,
    extendedKeyUsage: rendered.value.extendedKeyUsage,
    keys: await generateApplicantKeyPair(keyAlgorithm),
  });
  return {
    applicationId: randomUUID(),
    certificateType: type,
    csrPem,
    nik: NIK,
    mobile: '081234567890',
    ...data,
    attachments: [
      { kind: 'ektp', mediaType: 'image/jpeg', data: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]) },
      { kind: 'signature-specimen', mediaType: 'image/png', data: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) },
    ],
  };
}

export interface Running {
  baseUrl: string;
  close(): Promise<void>;
}

function listening(server: Server): Running {
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        // Hanging answers of the fault tests would keep close() waiting.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A Hono app on a free loopback port. */
export function serveApp(app: Hono): Promise<Running> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(listening(server as Server)),
    );
    server.once('error', reject);
  });
}

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A scripted CA: `handle` answers each call; `seen` records what arrived. */
export async function fakeCa(
  handle: (request: SeenRequest, response: ServerResponse) => void,
): Promise<Running & { seen: SeenRequest[] }> {
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      seen.push(request);
      handle(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { ...listening(server), seen };
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** reference-mapping.json pointed at `baseUrl`, with a short timeout for the fault tests. */
export function referenceConfig(
  baseUrl: string,
  overrides: Record<string, unknown> = {},
): HttpConnectorConfig {
  return parseHttpConnectorConfig({ ...reference, baseUrl, ...overrides });
}
