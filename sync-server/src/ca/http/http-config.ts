/**
 * The HTTP connector's configuration: a JSON file (CA_HTTP_CONFIG) checked here, templates and
 * paths included, so a typo fails at start and not on the first approved application.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { checkTemplate, type PathError, parsePath, pathHasList, variablesUsed } from './template';

export class HttpConnectorConfigError extends Error {
  override name = 'HttpConnectorConfigError';
}

const comment = z.string().optional();
const path = z
  .string()
  .min(1)
  .max(200)
  .superRefine((value, ctx) => {
    try {
      parsePath(value);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as PathError).message });
    }
  });
const listPath = path;
const onePath = path.refine((p) => !pathHasList(p), 'this path reads one value: no []');
const headerName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/, 'not an HTTP header name');
const envName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]{0,63}$/, 'an environment variable name like CA_HTTP_TOKEN');

const operation = {
  $comment: comment,
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST'),
  /** Appended to baseUrl; may hold `{{…}}` (percent-encoded) and a query. */
  path: z.string().regex(/^\//, 'starts with /').max(500),
  /** Fixed extra headers (no secrets: those come from `auth`). */
  headers: z.record(headerName, z.string().max(1000)).optional(),
  /** The JSON body template; absent = no body. */
  body: z.json().optional(),
};
const batchSize = z.number().int().min(1).max(1000).optional();

const submitSchema = z.strictObject({
  ...operation,
  batchSize,
  /** The template of one request; the body places the list with `{{items}}` (or one with `{{item}}`). */
  item: z.json().optional(),
  response: z
    .strictObject({
      $comment: comment,
      acceptedReferences: listPath,
      /** Absent: the CA does not echo ids, and answers one reference per request in the order sent. */
      acceptedApplicationIds: listPath.optional(),
      refusedApplicationIds: listPath.optional(),
      refusedReasons: listPath.optional(),
    })
    .optional(),
  /** HTTP statuses that refuse the one request of a one-request call (needs batchSize 1). */
  refusalStatuses: z.array(z.number().int().min(400).max(499)).max(20).optional(),
  /** Where a refusal answer (one of refusalStatuses) gives its reason. */
  refusalReason: onePath.optional(),
});

const pollSchema = z.strictObject({
  ...operation,
  batchSize,
  response: z
    .strictObject({
      $comment: comment,
      statuses: listPath,
      /** Absent: one status per reference in the order asked. */
      references: listPath.optional(),
      reasons: listPath.optional(),
    })
    .optional(),
  /** The CA's status words → ours. A word not listed makes the answer malformed. */
  statusMap: z.record(z.string().max(100), z.enum(['pending', 'issued', 'rejected', 'unknown'])),
});

const certificatesSchema = z.strictObject({
  ...operation,
  batchSize,
  response: z
    .strictObject({
      $comment: comment,
      /** PEM, or base64 of the DER. */
      certificates: listPath,
      references: listPath.optional(),
      /** Per certificate: a list of PEM/base64 certificates, or one string of PEM blocks. */
      chains: listPath.optional(),
    })
    .optional(),
});

const revokeSchema = z.strictObject({
  ...operation,
  response: z
    .strictObject({
      $comment: comment,
      status: onePath,
      /** Absent: the connector's clock stands in. */
      revokedAt: onePath.optional(),
    })
    .optional(),
  statusMap: z.record(z.string().max(100), z.enum(['revoked', 'already-revoked', 'unknown-certificate'])),
  /** HTTP statuses that mean "no such certificate" (e.g. 404). */
  unknownCertificateStatuses: z.array(z.number().int().min(400).max(499)).max(20).optional(),
});

const crlSchema = z.strictObject({
  ...operation,
  method: z.enum(['GET', 'POST']).default('GET'),
  /** When the answer is JSON: where the CRL is (PEM or base64 DER). Absent: the body is the CRL. */
  field: onePath.optional(),
});

const authSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('none') }),
  z.strictObject({ type: z.literal('bearer'), tokenEnv: envName }),
  z.strictObject({ type: z.literal('header'), name: headerName, valueEnv: envName }),
]);

const VARIABLES = {
  item: [
    'applicationId',
    'certificateType',
    'csr',
    'holder.nama',
    'holder.nik',
    'holder.nip',
    'holder.email',
    'holder.perangkatDaerah',
    'holder.jabatan',
    'holder.host',
    'holder.mobile',
    'documents',
  ],
  submit: ['items', 'count'],
  submitSingle: ['item', 'applicationId'],
  references: ['references', 'count'],
  referencesSingle: ['reference'],
  revoke: ['serialNumber', 'reason', 'reasonCode', 'requestId'],
} as const;

export const httpConnectorConfigSchema = z
  .strictObject({
    $comment: comment,
    /** The CA's API root; operation paths are appended. */
    baseUrl: z.url({ protocol: /^https?$/ }).max(500),
    auth: authSchema.default({ type: 'none' }),
    timeoutMs: z.number().int().min(100).max(600_000).default(30_000),
    /** Most requests (or references) in one call; operations may set a lower one. */
    batchSize: z.number().int().min(1).max(1000).default(50),
    /** An answer larger than this is malformed (a CRL is the largest). */
    maxResponseBytes: z
      .number()
      .int()
      .min(1024)
      .max(256 * 1024 * 1024)
      .default(32 * 1024 * 1024),
    /** Tables for the `lookup:NAME` filter: our value → the CA's. */
    lookups: z.record(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), z.record(z.string(), z.json())).default({}),
    /** A JS module with toRequest/fromResponse per operation (relative to this file). */
    mappingModule: z.string().min(1).max(500).optional(),
    operations: z.strictObject({
      submit: submitSchema,
      poll: pollSchema,
      fetchCertificates: certificatesSchema,
      revoke: revokeSchema,
      fetchCrl: crlSchema,
    }),
  })
  .superRefine((config, ctx) => {
    const lookups = Object.keys(config.lookups);
    const problem = (where: (string | number)[], message: string) =>
      ctx.addIssue({ code: 'custom', path: ['operations', ...where], message });
    const check = (where: string[], template: unknown, variables: readonly string[], documents = false) => {
      for (const p of checkTemplate(template, { variables, documents, lookups })) problem(where, p);
    };
    const single = (op: { batchSize?: number | undefined }) => (op.batchSize ?? config.batchSize) === 1;
    const { submit, poll, fetchCertificates, revoke, fetchCrl } = config.operations;

    for (const [name, op] of Object.entries(config.operations)) {
      if (op.method === 'GET' && op.body !== undefined) problem([name, 'body'], 'a GET has no body');
    }

    // submit
    check(['submit', 'item'], submit.item, VARIABLES.item, true);
    const submitScope = [...VARIABLES.submit, ...VARIABLES.submitSingle];
    check(['submit', 'body'], submit.body, submitScope);
    check(['submit', 'path'], submit.path, submitScope);
    const submitUses = new Set([...variablesUsed(submit.body), ...variablesUsed(submit.path)]);
    if (VARIABLES.submitSingle.some((v) => submitUses.has(v)) && !single(submit)) {
      problem(['submit', 'batchSize'], '{{item}} and {{applicationId}} need batchSize 1');
    }
    if (submit.refusalStatuses && !single(submit)) {
      problem(['submit', 'refusalStatuses'], 'refusalStatuses need batchSize 1');
    }
    if ((submitUses.has('items') || submitUses.has('item')) && submit.item === undefined) {
      problem(['submit', 'item'], 'the body uses the items: give the item template');
    }
    const r = submit.response;
    if (r && r.acceptedApplicationIds === undefined && r.refusedApplicationIds !== undefined) {
      problem(
        ['submit', 'response'],
        'without acceptedApplicationIds the answer is read in request order and cannot list refusals',
      );
    }
    if (r && r.refusedReasons !== undefined && r.refusedApplicationIds === undefined) {
      problem(['submit', 'response', 'refusedReasons'], 'refusedReasons needs refusedApplicationIds');
    }

    // poll, fetchCertificates
    for (const [name, op] of [
      ['poll', poll],
      ['fetchCertificates', fetchCertificates],
    ] as const) {
      const scope = [...VARIABLES.references, ...VARIABLES.referencesSingle];
      check([name, 'body'], op.body, scope);
      check([name, 'path'], op.path, scope);
      const uses = new Set([...variablesUsed(op.body), ...variablesUsed(op.path)]);
      if (uses.has('reference') && !single(op))
        problem([name, 'batchSize'], '{{reference}} needs batchSize 1');
    }

    check(['revoke', 'body'], revoke.body, VARIABLES.revoke);
    check(['revoke', 'path'], revoke.path, VARIABLES.revoke);
    check(['fetchCrl', 'body'], fetchCrl.body, []);
    check(['fetchCrl', 'path'], fetchCrl.path, []);
  });

export type HttpConnectorConfig = z.infer<typeof httpConnectorConfigSchema>;
export type HttpConnectorConfigInput = z.input<typeof httpConnectorConfigSchema>;

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('\n  ');
}

/** Checks a parsed configuration; throws HttpConnectorConfigError naming every problem. */
export function parseHttpConnectorConfig(
  raw: unknown,
  source = 'CA HTTP configuration',
): HttpConnectorConfig {
  const parsed = httpConnectorConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new HttpConnectorConfigError(`Invalid ${source}:\n  ${describeIssues(parsed.error)}`);
  }
  return parsed.data;
}

/** Reads CA_HTTP_CONFIG; `mappingModule` comes back as an absolute path. */
export function loadHttpConnectorConfig(file: string): HttpConnectorConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new HttpConnectorConfigError(`Cannot read the CA HTTP configuration ${file}`, { cause: err });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new HttpConnectorConfigError(`${file} is not valid JSON`, { cause: err });
  }
  const config = parseHttpConnectorConfig(raw, file);
  return config.mappingModule === undefined
    ? config
    : { ...config, mappingModule: resolve(dirname(resolve(file)), config.mappingModule) };
}
