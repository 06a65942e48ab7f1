/**
 * The examples in docs/ca-connector.md, run as written: the BSrE-style file against a stand-in
 * server, and the mapping module loaded from disk through createHttpConnectorFromFile.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CaRequest } from '../connector';
import { createHttpConnector, createHttpConnectorFromFile, parseHttpConnectorConfig } from './http-connector';
import reference from './reference-mapping.json' with { type: 'json' };
import { caRequest, fakeCa, json, NIK, type Running, type SeenRequest, TOKEN } from './test-fixtures';

const doc = readFileSync(new URL('../../../../docs/ca-connector.md', import.meta.url), 'utf8');

/** The first fenced block of `language` after `heading`. */
function block(heading: string, language: string): string {
  const from = doc.indexOf(heading);
  expect(from, `heading ${heading}`).toBeGreaterThan(-1);
  const match = new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``).exec(doc.slice(from));
  if (!match?.[1]) throw new Error(`no ${language} block after ${heading}`);
  return match[1];
}

let running: (Running & { seen: SeenRequest[] }) | null = null;
afterEach(async () => {
  await running?.close();
  running = null;
});

describe('docs: the BSrE-style example', () => {
  const raw = JSON.parse(block('## Worked example', 'json')) as Record<string, unknown>;
  const env = { CA_HTTP_API_KEY: 'key-1' };
  let request: CaRequest;

  beforeAll(async () => {
    const base = await caRequest({ type: 'jabatan' });
    request = {
      ...base,
      attachments: [
        ...base.attachments,
        { kind: 'surat-rekomendasi', mediaType: 'application/pdf', data: new TextEncoder().encode('%PDF-1') },
      ],
    };
  });

  async function connectorFor(handle: (req: SeenRequest, res: import('node:http').ServerResponse) => void) {
    running = await fakeCa(handle);
    return createHttpConnector(parseHttpConnectorConfig({ ...raw, baseUrl: `${running.baseUrl}/api/v1` }), {
      env,
    });
  }

  it('parses', () => {
    expect(() => parseHttpConnectorConfig(raw)).not.toThrow();
  });

  it('sends one registration a call in BSrE’s field names', async () => {
    const connector = await connectorFor((_req, res) =>
      json(res, 200, { data: { id_pendaftaran: 'REG-1' } }),
    );
    const other = await caRequest();
    const result = await connector.submit([request, other]);
    expect(result).toEqual({
      accepted: [
        { applicationId: request.applicationId, caReference: 'REG-1' },
        { applicationId: other.applicationId, caReference: 'REG-1' },
      ],
      refused: [],
    });
    expect(running?.seen).toHaveLength(2);
    const seen = running?.seen[0];
    expect(seen?.url).toBe('/api/v1/pendaftaran');
    expect(seen?.headers['x-api-key']).toBe('key-1');
    expect(JSON.parse(seen?.body ?? '')).toEqual({
      id_permohonan: request.applicationId,
      jenis_sertifikat: 'JABATAN',
      nik: NIK,
      nama: 'SITI RAHAYU',
      nip: '199001012015032001',
      email: 'siti.rahayu@madiunkota.go.id',
      jabatan: 'Kepala Bidang Persandian',
      nomor_telepon: '081234567890',
      unit_kerja: 'Dinas Komunikasi dan Informatika',
      kota: 'Kota Madiun',
      provinsi: 'Jawa Timur',
      csr: request.csrPem,
      image_ktp: '/9j/4AECAw==',
      surat_rekomendasi: 'JVBERi0x',
      sk_pengangkatan: null,
      image_ttd: 'iVBORw==',
    });
  });

  it('takes a 422 as the refusal of that one registration, with its reason', async () => {
    const connector = await connectorFor((_req, res) =>
      json(res, 422, { message: 'Surat rekomendasi tidak terbaca' }),
    );
    expect(await connector.submit([request])).toEqual({
      accepted: [],
      refused: [{ applicationId: request.applicationId, reason: 'Surat rekomendasi tidak terbaca' }],
    });
  });

  it('polls one reference a call, in the CA’s words', async () => {
    const words: Record<string, unknown> = {
      '/api/v1/pendaftaran/REG%2F1': { data: { status: 'DIVERIFIKASI' } },
      '/api/v1/pendaftaran/REG-2': { data: { status: 'DITOLAK', keterangan: 'NIP tidak sesuai' } },
    };
    const connector = await connectorFor((req, res) => json(res, 200, words[req.url]));
    expect(await connector.poll(['REG/1', 'REG-2'])).toEqual([
      { caReference: 'REG/1', status: 'pending' },
      { caReference: 'REG-2', status: 'rejected', reason: 'NIP tidak sesuai' },
    ]);
  });

  it('revokes with the serial in upper case and the RFC 5280 code; 404 is an unknown certificate', async () => {
    const connector = await connectorFor((req, res) =>
      req.body.includes('"0A1B"')
        ? json(res, 200, { data: { status: 'DICABUT', waktu_pencabutan: '2026-11-26T10:00:00+07:00' } })
        : json(res, 404, { message: 'not found' }),
    );
    const revocation = { serialNumberHex: '0a1b', reason: 'affiliationChanged' as const, requestId: 'q-1' };
    expect(await connector.revoke(revocation)).toEqual({
      status: 'revoked',
      revokedAt: '2026-11-26T03:00:00.000Z',
    });
    expect(JSON.parse(running?.seen[0]?.body ?? '')).toEqual({
      nomor_seri: '0A1B',
      alasan: 3,
      id_permintaan: 'q-1',
    });
    expect(await connector.revoke({ ...revocation, serialNumberHex: 'ff' })).toEqual({
      status: 'unknown-certificate',
    });
  });
});

describe('docs: the mapping module example', () => {
  it('loads from the file the configuration names and reads a flagged list', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sertel-ca-mapping-'));
    try {
      writeFileSync(join(dir, 'my-ca-mapping.mjs'), block('## Mapping module', 'js'));
      running = await fakeCa((req, res) => {
        const batch = (JSON.parse(req.body) as { batch: { ref: string }[] }).batch;
        json(res, 200, {
          results: batch.map((b, i) =>
            i === 0 ? { id: b.ref, ok: true, ref: 'X1' } : { id: b.ref, ok: false, error: 'no' },
          ),
        });
      });
      writeFileSync(
        join(dir, 'ca.json'),
        JSON.stringify({ ...reference, baseUrl: running.baseUrl, mappingModule: './my-ca-mapping.mjs' }),
      );
      const requests = [await caRequest(), await caRequest()];
      const connector = await createHttpConnectorFromFile(join(dir, 'ca.json'), {
        env: { CA_HTTP_TOKEN: TOKEN },
      });
      expect(await connector.submit(requests)).toEqual({
        accepted: [{ applicationId: requests[0]?.applicationId, caReference: 'X1' }],
        refused: [{ applicationId: requests[1]?.applicationId, reason: 'no' }],
      });
      expect(JSON.parse(running.seen[0]?.body ?? '')).toEqual({
        batch: requests.map((r) => ({ ref: r.applicationId })),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
