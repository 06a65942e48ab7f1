import type { z } from 'zod';
import { ApiError } from './errors';

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Parses a JSON request body from bytes already read (and, for signed requests, verified). */
export function parseJsonBytes(contentType: string | undefined, bytes: Uint8Array): unknown {
  if (!/^application\/json\b/i.test(contentType ?? '')) {
    throw new ApiError(415, 'unsupported-media-type', 'Content-Type must be application/json');
  }
  const text = utf8.decode(bytes);
  if (text.trim() === '') throw new ApiError(400, 'empty-body', 'The request body is empty');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, 'invalid-json', 'The request body is not valid JSON');
  }
}

export async function readJson(request: Request): Promise<unknown> {
  return parseJsonBytes(
    request.headers.get('content-type') ?? undefined,
    new Uint8Array(await request.arrayBuffer()),
  );
}

/** A 400 that names the failing field paths, never the submitted values. */
export function schemaError(error: z.ZodError, code: string, message: string): ApiError {
  const details = error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
  return new ApiError(400, code, message, details);
}
