import type { ServerResponse } from 'node:http';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../../tests/support/service-port';
import { type CaConnector, CaError, type CaErrorKind, type CaRequest } from '../connector';
import { createHttpConnector, HttpConnectorConfigError, parseHttpConnectorConfig } from './http-connector';
import {
  caRequest,
  fakeCa,
  json,
  NAMA,
  NIK,
  type Running,
  referenceConfig,
  type SeenRequest,
  TOKEN,
} from './test-fixtures';

const env = { CA_HTTP_TOKEN: TOKEN };
let requests: CaRequest[];
let running: (Running & { seen: SeenRequest[] }) | null = null;

beforeAll(async () => {
  requests = [await caRequest(), await caRequest()];
});
afterEach(async () => {
  await running?.close();
  running = null;
});

async function connectorFor(
  handle: (request: SeenRequest, response: ServerResponse) => void,
  overrides: Record<string, unknown> = {},
): Promise<CaConnector> {
  running = await fakeCa(handle);
  return createHttpConnector(referenceConfig(running.baseUrl, { timeoutMs: 300, ...overrides }), { env });
}

/** The CaError a call ends in; fails the test when it answers or throws anything else. */
async function caErrorOf(call: Promise<unknown>): Promise<CaError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof CaError) {
      // Whatever went wrong, personal data stays out of the message.
      expect(err.message).not.toContain(NIK);
      expect(err.message).not.toContain(NAMA);
      return err;
    }
    throw err;
  }
  throw new Error('expected a CaError, the call answered');
}

const echoNik = { error: { code: 'bad-holder', message: `NIK ${NIK} of ${NAMA} already registered` } };
const accepted = (body: string) =>
  (JSON.parse(body) as { requests: { applicationId: string }[] }).requests.map((r) => ({
    applicationId: r.applicationId,
    reference: `R-${r.applicationId}`,
  }));

describe('http connector: what it sends', () => {
  it('maps a batch onto the reference shape with the bearer token', async () => {
    const connector = await connectorFor((req, res) =>
      json(res, 200, { accepted: accepted(req.body), refused: [] }),
    );
    const result = await connector.submit(requests);
    expect(result.accepted.map((a) => a.caReference)).toEqual(requests.map((r) => `R-${r.applicationId}`));
    const seen = running?.seen[0];
    expect(seen?.method).toBe('POST');
    expect(seen?.url).toBe('/batches');
    expect(seen?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(seen?.headers['content-type']).toBe('application/json');
    const body = JSON.parse(seen?.body ?? '{}');
    expect(body.requests[0]).toEqual({
      applicationId: requests[0]?.applicationId,
      certificateType: 'individu',
      csr: requests[0]?.csrPem,
      holder: {
        nama: NAMA,
        nik: NIK,
        nip: '199001012015032001',
        email: 'siti.rahayu@madiunkota.go.id',
        perangkatDaerah: 'Dinas Komunikasi dan Informatika',
        jabatan: null,
        host: null,
        mobile: '081234567890',
      },
      documents: [
        { kind: 'ektp', mediaType: 'image/jpeg', base64: '/9j/4AECAw==' },
        { kind: 'signature-specimen', mediaType: 'image/png', base64: 'iVBORw==' },
      ],
    });
  });

  it('splits a batch by batchSize and asks a repeated application once', async () => {
    const connector = await connectorFor(
      (req, res) => json(res, 200, { accepted: accepted(req.body), refused: [] }),
      {
        batchSize: 1,
      },
    );
    const first = requests[0] as CaRequest;
    const result = await connector.submit([...requests, first]);
    expect(running?.seen).toHaveLength(2);
    expect(result.accepted).toHaveLength(2);
  });

  it('makes no call for an empty batch', async () => {
    const connector = await connectorFor((_, res) => json(res, 500, {}));
    expect(await connector.submit([])).toEqual({ accepted: [], refused: [] });
    expect(await connector.poll([])).toEqual([]);
    expect(running?.seen).toEqual([]);
  });

  it('answers statuses in the order asked, whatever the CA’s order', async () => {
    const connector = await connectorFor((_, res) =>
      json(res, 200, {
        statuses: [
          { reference: 'B', status: 'rejected', reason: 'CSR name differs' },
          { reference: 'A', status: 'issued' },
        ],
      }),
    );
    expect(await connector.poll(['A', 'B', 'A'])).toEqual([
      { caReference: 'A', status: 'issued' },
      { caReference: 'B', status: 'rejected', reason: 'CSR name differs' },
      { caReference: 'A', status: 'issued' },
    ]);
    expect(JSON.parse(running?.seen[0]?.body ?? '')).toEqual({ references: ['A', 'B'] });
  });
});

describe('http connector faults', () => {
  it('a CA that never answers → timeout', async () => {
    const connector = await connectorFor(() => {});
    const started = performance.now();
    expect((await caErrorOf(connector.submit(requests))).kind).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('an answer that stalls after its headers → timeout', async () => {
    const connector = await connectorFor((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"statuses": [');
    });
    expect((await caErrorOf(connector.poll(['A']))).kind).toBe('timeout');
  });

  it.each([500, 502, 503, 504, 429])('HTTP %i → unavailable', async (status) => {
    const connector = await connectorFor((_, res) => json(res, status, echoNik));
    const error = await caErrorOf(connector.submit(requests));
    expect(error.kind).toBe('unavailable');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe(`CA http submit: the CA answered HTTP ${status} (bad-holder)`);
  });

  it('connection refused → unavailable', async () => {
    const port = await freePort();
    const connector = createHttpConnector(referenceConfig(`http://127.0.0.1:${port}`), { env });
    const error = await caErrorOf(connector.poll(['A']));
    expect(error.kind).toBe('unavailable');
    expect(error.message).toBe('CA http poll: cannot reach the CA: ECONNREFUSED');
  });

  it('a connection cut mid-answer → unavailable', async () => {
    const connector = await connectorFor((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"statuses": [');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    expect((await caErrorOf(connector.poll(['A']))).kind).toBe('unavailable');
  });

  it.each<[string, (body: string, res: ServerResponse) => void]>([
    [
      'not JSON (and the text stays out of the message)',
      (_, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(`{"accepted": [{"nik": "${NIK}", "nama": "${NAMA}"`);
      },
    ],
    [
      'a missing reference',
      (body, res) =>
        json(res, 200, {
          accepted: accepted(body).map(({ applicationId }) => ({ applicationId })),
          refused: [],
        }),
    ],
    [
      'an answer missing one application',
      (body, res) => json(res, 200, { accepted: accepted(body).slice(1), refused: [] }),
    ],
    [
      'one application answered twice',
      (body, res) => {
        const list = accepted(body);
        json(res, 200, { accepted: list, refused: [{ applicationId: list[0]?.applicationId, reason: 'x' }] });
      },
    ],
    [
      'an application that was not sent',
      (body, res) =>
        json(res, 200, {
          accepted: [...accepted(body), { applicationId: 'other', reference: 'R' }],
          refused: [],
        }),
    ],
    ['no refused list', (body, res) => json(res, 200, { accepted: accepted(body) })],
    [
      'a reference that is an object',
      (body, res) =>
        json(res, 200, {
          accepted: accepted(body).map((a) => ({ ...a, reference: { nik: NIK } })),
          refused: [],
        }),
    ],
  ])('submit: %s → malformed', async (_, answer) => {
    const connector = await connectorFor((req, res) => answer(req.body, res));
    expect((await caErrorOf(connector.submit(requests))).kind).toBe('malformed');
  });

  it.each<[string, unknown]>([
    ['an unknown status word (left out of the message)', { statuses: [{ reference: 'A', status: NAMA }] }],
    ['a status missing', { statuses: [{ reference: 'A' }] }],
    ['a reference missing from the answer', { statuses: [] }],
    [
      'a reference not asked',
      {
        statuses: [
          { reference: 'A', status: 'issued' },
          { reference: 'Z', status: 'issued' },
        ],
      },
    ],
    ['statuses that are no list', { statuses: { reference: 'A', status: 'issued' } }],
  ])('poll: %s → malformed', async (_, answer) => {
    const connector = await connectorFor((_req, res) => json(res, 200, answer));
    expect((await caErrorOf(connector.poll(['A']))).kind).toBe('malformed');
  });

  it.each<[string, unknown]>([
    [
      'a certificate that is no certificate',
      { certificates: [{ reference: 'A', certificate: 'hello', chain: [] }] },
    ],
    ['a chain of text', { certificates: [{ reference: 'A', certificate: '', chain: 'x' }] }],
  ])('fetchCertificates: %s → malformed', async (_, answer) => {
    const connector = await connectorFor((_req, res) => json(res, 200, answer));
    expect((await caErrorOf(connector.fetchCertificates(['A']))).kind).toBe('malformed');
  });

  it('fetchCrl: a body that is no CRL → malformed', async () => {
    const connector = await connectorFor((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/pkix-crl' });
      res.end(Buffer.from([0x30, 0x03, 1, 2, 3]));
    });
    expect((await caErrorOf(connector.fetchCrl())).kind).toBe('malformed');
  });

  it('an answer over maxResponseBytes → malformed', async () => {
    const connector = await connectorFor(
      (_req, res) => json(res, 200, { statuses: [], pad: 'x'.repeat(4096) }),
      {
        maxResponseBytes: 1024,
      },
    );
    const error = await caErrorOf(connector.poll(['A']));
    expect(error.kind).toBe('malformed');
    expect(error.message).toBe('CA http poll: the answer exceeds 1024 bytes');
  });

  it.each<[number, string]>([
    [401, 'CA http submit: the CA refused the call with HTTP 401 (bad-holder)'],
    [403, 'CA http submit: the CA refused the call with HTTP 403 (bad-holder)'],
    [422, 'CA http submit: the CA refused the call with HTTP 422 (bad-holder)'],
  ])('HTTP %i → refused', async (status, message) => {
    const connector = await connectorFor((_req, res) => json(res, status, echoNik));
    const error = await caErrorOf(connector.submit(requests));
    expect(error.kind).toBe('refused');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(message);
  });

  it('an error code that could be personal data is left out', async () => {
    const connector = await connectorFor((_req, res) => json(res, 400, { code: NIK, error: NAMA }));
    expect((await caErrorOf(connector.poll(['A']))).message).toBe(
      'CA http poll: the CA refused the call with HTTP 400',
    );
  });

  it('a redirect is not followed → refused', async () => {
    const connector = await connectorFor((_req, res) => {
      res.writeHead(302, { location: 'http://elsewhere.invalid/' });
      res.end();
    });
    const error = await caErrorOf(connector.poll(['A']));
    expect(error.kind).toBe('refused');
    expect(running?.seen).toHaveLength(1);
  });

  it('a closed connector makes no more calls', async () => {
    const connector = await connectorFor((_req, res) => json(res, 200, { statuses: [] }));
    await connector.close();
    expect((await caErrorOf(connector.poll(['A']))).kind).toBe('unavailable');
    expect(running?.seen).toEqual([]);
  });
});

describe('http connector configuration', () => {
  it('needs the token variable set', () => {
    expect(() => createHttpConnector(referenceConfig('http://127.0.0.1:1'), { env: {} })).toThrow(
      new HttpConnectorConfigError("CA_HTTP_TOKEN is not set (the CA HTTP configuration's auth)"),
    );
  });

  it('sends a header credential', async () => {
    running = await fakeCa((_req, res) =>
      json(res, 200, { statuses: [{ reference: 'A', status: 'pending' }] }),
    );
    const connector = createHttpConnector(
      referenceConfig(running.baseUrl, { auth: { type: 'header', name: 'X-Api-Key', valueEnv: 'CA_KEY' } }),
      { env: { CA_KEY: 'k1' } },
    );
    await connector.poll(['A']);
    expect(running.seen[0]?.headers['x-api-key']).toBe('k1');
    expect(running.seen[0]?.headers.authorization).toBeUndefined();
  });

  /** The reference configuration with some of its operations changed. */
  function changed(baseUrl: string, operations: Record<string, Record<string, unknown>>): unknown {
    const good = referenceConfig('http://127.0.0.1:1') as unknown as {
      operations: Record<string, Record<string, unknown>>;
    };
    const merged = { ...good.operations };
    for (const [name, fields] of Object.entries(operations))
      merged[name] = { ...good.operations[name], ...fields };
    return { ...good, baseUrl, operations: merged };
  }

  function problemsOf(raw: unknown): string {
    try {
      parseHttpConnectorConfig(raw);
    } catch (err) {
      expect(err).toBeInstanceOf(HttpConnectorConfigError);
      return (err as Error).message;
    }
    throw new Error('expected the configuration to be refused');
  }

  it('names every shape problem at once', () => {
    const message = problemsOf(
      changed('ftp://ca', { poll: { statusMap: { done: 'finished' } }, revoke: { methd: 'POST' } }),
    );
    expect(message).toContain('baseUrl: Invalid URL');
    expect(message).toContain('operations.poll.statusMap.done: Invalid option');
    expect(message).toContain('operations.revoke: Unrecognized key: "methd"');
  });

  it('names every template problem at once', () => {
    const message = problemsOf(
      changed('http://ca.example', {
        submit: { item: { nik: '{{holder.nikk}}' }, refusalStatuses: [422] },
        poll: { path: '/status/{{reference}}' },
        fetchCrl: { body: {} },
      }),
    );
    for (const expected of [
      'operations.submit.item: nik: unknown variable "holder.nikk"',
      'operations.submit.refusalStatuses: refusalStatuses need batchSize 1',
      'operations.poll.batchSize: {{reference}} needs batchSize 1',
      'operations.fetchCrl.body: a GET has no body',
    ]) {
      expect(message).toContain(expected);
    }
  });

  it('refuses a configuration naming a mapping module it was not given', () => {
    const config = { ...referenceConfig('http://127.0.0.1:1'), mappingModule: '/x/mapping.mjs' };
    expect(() => createHttpConnector(config, { env })).toThrow(/createHttpConnectorFromFile/);
  });
});

describe('http connector: a mapping module for what templates cannot say', () => {
  /** A CA that answers one list with a flag per item: paths cannot split it. */
  const results = (body: string) =>
    (JSON.parse(body) as { requests: { applicationId: string }[] }).requests.map((r, i) =>
      i === 0
        ? { id: r.applicationId, ok: true, ref: `R${i}` }
        : { id: r.applicationId, ok: false, error: 'bad CSR' },
    );

  it('reads the answer with fromResponse, still checked', async () => {
    running = await fakeCa((req, res) => json(res, 200, { results: results(req.body) }));
    const connector = createHttpConnector(referenceConfig(running.baseUrl), {
      env,
      mapping: {
        submit: {
          fromResponse(answer) {
            const list = (answer as { results: { id: string; ok: boolean; ref?: string; error?: string }[] })
              .results;
            return {
              accepted: list
                .filter((r) => r.ok)
                .map((r) => ({ applicationId: r.id, caReference: r.ref ?? '' })),
              refused: list.filter((r) => !r.ok).map((r) => ({ applicationId: r.id, reason: r.error ?? '' })),
            };
          },
        },
      },
    });
    expect(await connector.submit(requests)).toEqual({
      accepted: [{ applicationId: requests[0]?.applicationId, caReference: 'R0' }],
      refused: [{ applicationId: requests[1]?.applicationId, reason: 'bad CSR' }],
    });
  });

  it.each<[string, CaErrorKind, () => never]>([
    [
      'a fromResponse that throws → malformed',
      'malformed',
      () => {
        throw new Error(NIK);
      },
    ],
  ])('%s', async (_, kind, fromResponse) => {
    running = await fakeCa((req, res) => json(res, 200, { results: results(req.body) }));
    const connector = createHttpConnector(referenceConfig(running.baseUrl), {
      env,
      mapping: { submit: { fromResponse } },
    });
    expect((await caErrorOf(connector.submit(requests))).kind).toBe(kind);
  });

  it('a fromResponse that leaves one out → malformed', async () => {
    running = await fakeCa((req, res) => json(res, 200, { results: results(req.body) }));
    const connector = createHttpConnector(referenceConfig(running.baseUrl), {
      env,
      mapping: { submit: { fromResponse: () => ({ accepted: [], refused: [] }) } },
    });
    expect((await caErrorOf(connector.submit(requests))).kind).toBe('malformed');
  });

  it('a toRequest that throws → refused, nothing sent', async () => {
    running = await fakeCa((_req, res) => json(res, 200, {}));
    const connector = createHttpConnector(referenceConfig(running.baseUrl), {
      env,
      mapping: {
        submit: {
          toRequest() {
            throw new RangeError(NIK);
          },
        },
      },
    });
    const error = await caErrorOf(connector.submit(requests));
    expect(error.kind).toBe('refused');
    expect(error.message).toBe("CA http submit: the mapping module's toRequest threw RangeError");
    expect(running.seen).toEqual([]);
  });
});
