/** Reading a signed statement's payload text the same strict way for every kind of statement. */
import type { z } from 'zod';
import { fail, ok, type Result } from '../lib/brand';

export type ReadProblem = 'not-json' | 'invalid';

/**
 * Parses the text and checks it against the schema. Keys the schema does not name are refused,
 * not dropped as zod would: what was signed is exactly what is read.
 */
export function readStatementText<S extends z.ZodObject>(
  schema: S,
  payloadText: string,
): Result<z.infer<S>, ReadProblem> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payloadText);
  } catch {
    return fail('not-json');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return fail('invalid');
  if (Object.keys(parsed).some((key) => !Object.hasOwn(schema.shape, key))) return fail('invalid');
  const result = schema.safeParse(parsed);
  return result.success ? ok(result.data) : fail('invalid');
}
