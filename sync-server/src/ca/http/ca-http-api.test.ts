import { describe, expect, it } from 'vitest';
import { type CaConnector, CaError, type CaErrorKind, type CaRequest } from '../connector';
import { CA_API_LIMITS, caHttpApp } from './ca-http-api';
import { NIK, TOKEN } from './test-fixtures';

/** A connector that records what reached it and answers from a script. */
function recordingCa(fault?: () => never) {
  const submitted: CaRequest[][] = [];
  const connector: CaConnector = {
    name: 'recording',
    async submit(requests) {
      fault?.();
      submitted.push([...requests]);
      return {
        accepted: requests.map((r) => ({
          applicationId: r.applicationId,
          caReference: `R-${r.applicationId}`,
        })),
        refused: [],
      };
    },
    async poll(references) {
      fault?.();
      return references.map((caReference) =>
        caReference === 'bad'
          ? { caReference, status: 'rejected', reason: 'no' }
          : { caReference, status: 'pending' },
      );
    },
    async fetchCertificates() {
      fault?.();
      return [];
    },
    async revoke() {
      fault?.();
      return { status: 'revoked', revokedAt: '2026-11-26T03:00:00.000Z' };
    },
    async fetchCrl() {
      fault?.();
      return {
        der: new Uint8Array([0x30, 0x03, 1, 2, 3]),
        thisUpdate: '2026-11-26T03:00:00.000Z',
        nextUpdate: null,
      };
    },
    async close() {},
  };
  return { connector, submitted };
}

const request = (applicationId = 'app-1') => ({
  applicationId,
  certificateType: 'individu',
  csr: '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n',
  holder: {
    nama: 'SITI RAHAYU',
    nik: NIK,
    nip: null,
    email: 'siti.rahayu@madiunkota.go.id',
    perangkatDaerah: 'Diskominfo',
    jabatan: null,
    host: null,
    mobile: '081234567890',
  },
  documents: [{ kind: 'ektp', mediaType: 'image/jpeg', base64: 'AQID' }],
});

const auth = { authorization: `Bearer ${TOKEN}` };
function post(
  app: ReturnType<typeof caHttpApp>,
  path: string,
  body: unknown,
  headers: Record<string, string> = auth,
) {
  return app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('caHttpApp authentication', () => {
  const app = caHttpApp(recordingCa().connector, { token: TOKEN });

  it.each([
    ['no token', {}],
    ['a wrong token', { authorization: 'Bearer wrong' }],
    ['the token without Bearer', { authorization: TOKEN }],
  ])('refuses %s with 401', async (_, headers) => {
    const response = await post(app, '/batches', { requests: [request()] }, headers);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(await response.json()).toEqual({
      error: { code: 'unauthorized', message: 'A valid bearer token is required' },
    });
  });

  it('guards GET /crl too', async () => {
    expect((await app.request('/crl')).status).toBe(401);
    expect((await app.request('/crl', { headers: auth })).status).toBe(200);
  });

  it('is open without a token', async () => {
    const open = caHttpApp(recordingCa().connector, {});
    expect((await post(open, '/batches', { requests: [request()] }, {})).status).toBe(200);
  });
});

describe('caHttpApp endpoints', () => {
  it('passes a batch to the connector, documents decoded', async () => {
    const { connector, submitted } = recordingCa();
    const response = await post(caHttpApp(connector, { token: TOKEN }), '/batches', {
      requests: [request()],
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      accepted: [{ applicationId: 'app-1', reference: 'R-app-1' }],
      refused: [],
    });
    expect(submitted[0]?.[0]).toMatchObject({
      applicationId: 'app-1',
      nik: NIK,
      nip: null,
      attachments: [{ kind: 'ektp', mediaType: 'image/jpeg', data: new Uint8Array([1, 2, 3]) }],
    });
  });

  it('answers statuses with a reason only for rejected ones', async () => {
    const app = caHttpApp(recordingCa().connector, { token: TOKEN });
    const response = await post(app, '/requests/status', { references: ['ok', 'bad'] });
    expect(await response.json()).toEqual({
      statuses: [
        { reference: 'ok', status: 'pending' },
        { reference: 'bad', status: 'rejected', reason: 'no' },
      ],
    });
  });

  it('serves the CRL as DER', async () => {
    const response = await caHttpApp(recordingCa().connector, {}).request('/crl');
    expect(response.headers.get('content-type')).toBe('application/pkix-crl');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(new Uint8Array([0x30, 0x03, 1, 2, 3]));
  });

  it('revokes', async () => {
    const app = caHttpApp(recordingCa().connector, {});
    const response = await post(
      app,
      '/revocations',
      { serialNumber: '0AFF', reason: 'keyCompromise', requestId: 'q1' },
      {},
    );
    expect(await response.json()).toEqual({ status: 'revoked', revokedAt: '2026-11-26T03:00:00.000Z' });
  });

  it('answers an unknown path with a JSON 404', async () => {
    const response = await caHttpApp(recordingCa().connector, {}).request('/nope');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'not-found', message: 'No such endpoint' } });
  });
});

describe('caHttpApp input validation', () => {
  const { connector, submitted } = recordingCa();
  const app = caHttpApp(connector, { token: TOKEN, maxBodyBytes: 64 * 1024 });

  it(`refuses a batch of more than ${CA_API_LIMITS.maxBatch}`, async () => {
    const requests = Array.from({ length: CA_API_LIMITS.maxBatch + 1 }, (_, i) => ({
      ...request(`a${i}`),
      documents: [],
    }));
    const response = await caHttpApp(connector, { token: TOKEN }).request('/batches', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ requests }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; details: { path: string }[] } };
    expect(body.error.code).toBe('invalid-request');
    expect(body.error.details.map((d) => d.path)).toEqual(['requests']);
  });

  it('refuses a body over the cap with 413', async () => {
    const big = {
      requests: [
        { ...request(), documents: [{ kind: 'ektp', mediaType: 'image/jpeg', base64: 'A'.repeat(70_000) }] },
      ],
    };
    const response = await post(app, '/batches', big);
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('body-too-large');
  });

  it.each<[string, unknown, string[]]>([
    ['an empty batch', { requests: [] }, ['requests']],
    [
      'a bad NIK',
      { requests: [{ ...request(), holder: { ...request().holder, nik: '3577' } }] },
      ['requests.0.holder.nik'],
    ],
    [
      'a type the CA does not issue',
      { requests: [{ ...request(), certificateType: 'server' }] },
      ['requests.0.certificateType'],
    ],
    ['a CSR that is no PEM', { requests: [{ ...request(), csr: 'hello' }] }, ['requests.0.csr']],
    [
      'bad base64',
      {
        requests: [{ ...request(), documents: [{ kind: 'ektp', mediaType: 'image/jpeg', base64: 'A*==' }] }],
      },
      ['requests.0.documents.0.base64'],
    ],
    ['an unexpected field', { requests: [{ ...request(), extra: 1 }] }, ['requests.0']],
    ['an application twice', { requests: [request('x'), request('x')] }, ['requests.1.applicationId']],
  ])('refuses %s with 400 naming the field, not the value', async (_, body, paths) => {
    const response = await post(app, '/batches', body);
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).not.toContain('3577');
    const parsed = JSON.parse(text) as { error: { details: { path: string }[] } };
    expect(parsed.error.details.map((d) => d.path)).toEqual(paths);
  });

  it.each<[string, string, unknown]>([
    [
      'too many references',
      '/requests/status',
      { references: Array.from({ length: 501 }, (_, i) => `r${i}`) },
    ],
    ['an empty reference', '/requests/certificates', { references: [''] }],
    [
      'a serial that is not hex',
      '/revocations',
      { serialNumber: 'xyz', reason: 'keyCompromise', requestId: 'q' },
    ],
    [
      'a reason the RA may not ask for',
      '/revocations',
      { serialNumber: '0a', reason: 'certificateHold', requestId: 'q' },
    ],
  ])('refuses %s with 400', async (_, path, body) => {
    expect((await post(app, path, body)).status).toBe(400);
  });

  it('refuses bad JSON (400) and other media types (415)', async () => {
    expect((await post(app, '/batches', '{"requests": [')).status).toBe(400);
    const response = await app.request('/batches', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(response.status).toBe(415);
  });

  it('never reached the connector', () => {
    expect(submitted).toEqual([]);
  });
});

describe('caHttpApp maps CA errors', () => {
  it.each<[CaErrorKind, number, string]>([
    ['unavailable', 503, 'ca-unavailable'],
    ['timeout', 503, 'ca-timeout'],
    ['malformed', 502, 'ca-malformed'],
    ['refused', 422, 'ca-refused'],
  ])('%s → %i, without the CA’s own words', async (kind, status, code) => {
    const app = caHttpApp(
      recordingCa(() => {
        throw new CaError(kind, `inner detail ${NIK}`);
      }).connector,
      {},
    );
    for (const response of [
      await post(app, '/batches', { requests: [request()] }, {}),
      await app.request('/crl'),
    ]) {
      expect(response.status).toBe(status);
      const text = await response.text();
      expect(JSON.parse(text).error.code).toBe(code);
      expect(text).not.toContain('inner detail');
    }
  });

  it('answers any other failure with a bare 500', async () => {
    const app = caHttpApp(
      recordingCa(() => {
        throw new TypeError(`boom ${NIK}`);
      }).connector,
      {},
    );
    const response = await app.request('/crl');
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: { code: 'internal', message: 'Internal error' } });
  });
});
