/**
 * The small template language of the HTTP CA connector (docs/ca-connector.md, "Templates"):
 * JSON templates whose strings may hold `{{expression}}`s, and dot-paths that read answers.
 * Nothing here does I/O; errors name template and answer paths, never the values.
 */
import { bytesToBase64 } from '../../../../src/core/lib/pem';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface TemplateDocument {
  kind: string;
  mediaType: string;
  data: Uint8Array;
}

/** The values one template may read: flat dotted names (`holder.nama`) and documents by kind. */
export interface TemplateScope {
  values: Readonly<Record<string, Json>>;
  documents?: readonly TemplateDocument[];
}

/** A template that cannot be rendered with these values (a connector configuration problem). */
export class TemplateError extends Error {
  override name = 'TemplateError';
}

/** An answer that lacks what a path asks for, or holds the wrong kind of value there. */
export class PathError extends Error {
  override name = 'PathError';
}

export const FILTERS = ['base64', 'dataUrl', 'mediaType', 'der', 'upper', 'lower', 'lookup'] as const;
type FilterName = (typeof FILTERS)[number];

interface Filter {
  name: FilterName;
  arg: string | null;
}

interface Expression {
  /** A dotted variable name, or null for `document:KIND`. */
  variable: string | null;
  documentKind: string | null;
  filters: Filter[];
}

const EXPRESSION = /\{\{([^{}]*)\}\}/g;
const WHOLE_EXPRESSION = /^\{\{([^{}]*)\}\}$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const KIND = /^[A-Za-z0-9_-]{1,64}$/;

function parseExpression(source: string): Expression {
  const [head = '', ...rest] = source.split('|').map((part) => part.trim());
  const filters = rest.map((part): Filter => {
    const colon = part.indexOf(':');
    const name = (colon < 0 ? part : part.slice(0, colon)).trim();
    const arg = colon < 0 ? null : part.slice(colon + 1).trim();
    if (!(FILTERS as readonly string[]).includes(name)) {
      throw new TemplateError(`unknown filter "${name}" (known: ${FILTERS.join(', ')})`);
    }
    if ((name === 'lookup') !== (arg !== null && arg !== '')) {
      throw new TemplateError(
        name === 'lookup' ? 'lookup needs a table name: lookup:NAME' : `filter "${name}" takes no argument`,
      );
    }
    return { name: name as FilterName, arg };
  });
  if (head.startsWith('document:')) {
    const kind = head.slice('document:'.length).trim();
    if (!KIND.test(kind)) throw new TemplateError(`"${head}" is not document:KIND`);
    return { variable: null, documentKind: kind, filters };
  }
  if (!NAME.test(head)) throw new TemplateError(`"${head}" is not a variable name`);
  return { variable: head, documentKind: null, filters };
}

/** Every `{{…}}` expression in a template, with the JSON path of the string that holds it. */
function* expressionsOf(template: unknown, at: string): Generator<{ at: string; source: string }> {
  if (typeof template === 'string') {
    for (const match of template.matchAll(EXPRESSION)) yield { at, source: match[1] ?? '' };
  } else if (Array.isArray(template)) {
    for (const [i, item] of template.entries()) yield* expressionsOf(item, `${at}[${i}]`);
  } else if (template !== null && typeof template === 'object') {
    for (const [key, value] of Object.entries(template))
      yield* expressionsOf(value, at ? `${at}.${key}` : key);
  }
}

export interface TemplateCheck {
  /** Variables the template may use. */
  variables: readonly string[];
  /** Whether `document:KIND` may be used. */
  documents: boolean;
  /** Names of the lookup tables that exist. */
  lookups: readonly string[];
}

/** Static check of a template at configuration load: problems as "path: message", empty when fine. */
export function checkTemplate(template: unknown, check: TemplateCheck): string[] {
  const problems: string[] = [];
  for (const { at, source } of expressionsOf(template, '')) {
    const where = at || '(template)';
    try {
      const e = parseExpression(source);
      if (e.variable !== null && !check.variables.includes(e.variable)) {
        problems.push(`${where}: unknown variable "${e.variable}" (here: ${check.variables.join(', ')})`);
      }
      if (e.documentKind !== null && !check.documents) {
        problems.push(`${where}: documents are not available here`);
      }
      for (const f of e.filters) {
        if (f.name === 'lookup' && !check.lookups.includes(f.arg ?? '')) {
          problems.push(`${where}: no lookup table "${f.arg}"`);
        }
      }
    } catch (err) {
      problems.push(`${where}: ${(err as Error).message}`);
    }
  }
  return problems;
}

/** The variables a template uses (so the connector can tell whether it needs one-item calls). */
export function variablesUsed(template: unknown): Set<string> {
  const used = new Set<string>();
  for (const { source } of expressionsOf(template, '')) {
    try {
      const e = parseExpression(source);
      if (e.variable !== null) used.add(e.variable);
    } catch {
      // checkTemplate reports it
    }
  }
  return used;
}

type Value = Json | TemplateDocument | undefined;

const isDocument = (v: Value): v is TemplateDocument =>
  v !== null &&
  typeof v === 'object' &&
  !Array.isArray(v) &&
  (v as { data?: unknown }).data instanceof Uint8Array;

/** PEM armour off, whitespace out: the base64 of the DER inside. */
function pemBody(pem: string): string | null {
  const match = /-----BEGIN [A-Z0-9 ]+-----([A-Za-z0-9+/=\s]+)-----END [A-Z0-9 ]+-----/.exec(pem);
  return match?.[1] ? match[1].replace(/\s+/g, '') : null;
}

function applyFilter(value: Value, filter: Filter, lookups: Lookups): Value {
  if (value === null || value === undefined) return null;
  switch (filter.name) {
    case 'base64':
    case 'dataUrl':
    case 'mediaType': {
      if (!isDocument(value)) throw new TemplateError(`filter "${filter.name}" applies to documents only`);
      if (filter.name === 'mediaType') return value.mediaType;
      const base64 = bytesToBase64(value.data);
      return filter.name === 'base64' ? base64 : `data:${value.mediaType};base64,${base64}`;
    }
    case 'der': {
      const body = typeof value === 'string' ? pemBody(value) : null;
      if (body === null) throw new TemplateError('filter "der" applies to PEM text only');
      return body;
    }
    case 'upper':
    case 'lower':
      if (typeof value !== 'string') throw new TemplateError(`filter "${filter.name}" applies to text only`);
      return filter.name === 'upper' ? value.toUpperCase() : value.toLowerCase();
    case 'lookup': {
      if (typeof value !== 'string' && typeof value !== 'number') {
        throw new TemplateError('filter "lookup" applies to text and numbers only');
      }
      const table = lookups[filter.arg ?? ''];
      if (table === undefined) throw new TemplateError(`no lookup table "${filter.arg}"`);
      // An unmapped value is absent rather than passed through in our words.
      return Object.hasOwn(table, String(value)) ? (table[String(value)] ?? null) : null;
    }
  }
}

export type Lookups = Readonly<Record<string, Readonly<Record<string, Json>>>>;

function evaluate(source: string, scope: TemplateScope, lookups: Lookups): Json {
  const e = parseExpression(source);
  let value: Value;
  if (e.documentKind !== null) {
    value = scope.documents?.find((d) => d.kind === e.documentKind) ?? null;
  } else {
    const name = e.variable ?? '';
    if (!Object.hasOwn(scope.values, name)) throw new TemplateError(`unknown variable "${name}"`);
    value = scope.values[name];
  }
  for (const filter of e.filters) value = applyFilter(value, filter, lookups);
  // A document without a filter stands for its content.
  if (isDocument(value)) return bytesToBase64(value.data);
  return value ?? null;
}

function renderString(text: string, scope: TemplateScope, lookups: Lookups): Json {
  // A string that is exactly one expression takes the value's own type (null, a list, an object).
  const whole = WHOLE_EXPRESSION.exec(text);
  if (whole) return evaluate(whole[1] ?? '', scope, lookups);
  return text.replace(EXPRESSION, (_, source: string) => {
    const value = evaluate(source, scope, lookups);
    if (value === null) return '';
    if (typeof value === 'object') {
      throw new TemplateError(`"{{${source.trim()}}}" is a list or object: it must fill the whole string`);
    }
    return String(value);
  });
}

/** Renders a JSON template: keys stay, strings are filled in, other values pass through. */
export function renderTemplate(template: Json, scope: TemplateScope, lookups: Lookups = {}): Json {
  if (typeof template === 'string') return renderString(template, scope, lookups);
  if (Array.isArray(template)) return template.map((item) => renderTemplate(item, scope, lookups));
  if (template !== null && typeof template === 'object') {
    const out: { [key: string]: Json } = {};
    for (const [key, value] of Object.entries(template)) out[key] = renderTemplate(value, scope, lookups);
    return out;
  }
  return template;
}

/** Fills a URL path template; every value is percent-encoded as one path segment or query value. */
export function renderPath(template: string, scope: TemplateScope, lookups: Lookups = {}): string {
  return template.replace(EXPRESSION, (_, source: string) => {
    const value = evaluate(source, scope, lookups);
    if (value !== null && typeof value === 'object') {
      throw new TemplateError(`"{{${source.trim()}}}" is a list or object: it cannot be part of a path`);
    }
    return encodeURIComponent(value === null ? '' : String(value));
  });
}

type Segment = { name: string } | { index: number } | { each: true };

/**
 * `a.b[].c`, `data[0].id`, `[].reference`: names split by dots, `[N]` picks an element, `[]` (at
 * most once) maps over a list. Throws PathError on bad syntax.
 */
export function parsePath(path: string): Segment[] {
  const segments: Segment[] = [];
  let each = 0;
  for (const [i, part] of path.split('.').entries()) {
    const match = /^([^[\]]*)((?:\[\d*\])*)$/.exec(part);
    if (!match || (match[1] === '' && (i > 0 || match[2] === ''))) {
      throw new PathError(`"${path}" is not a path like a.b[].c`);
    }
    if (match[1]) segments.push({ name: match[1] });
    for (const bracket of (match[2] ?? '').match(/\[\d*\]/g) ?? []) {
      if (bracket === '[]') {
        each++;
        segments.push({ each: true });
      } else {
        segments.push({ index: Number(bracket.slice(1, -1)) });
      }
    }
  }
  if (each > 1) throw new PathError(`"${path}" may map over one list only (one [])`);
  return segments;
}

export function pathHasList(path: string): boolean {
  return parsePath(path).some((s) => 'each' in s);
}

function showPath(segments: readonly Segment[]): string {
  let text = '';
  for (const s of segments) {
    if ('name' in s) text += text ? `.${s.name}` : s.name;
    else if ('index' in s) text += `[${s.index}]`;
    else text += '[]';
  }
  return text || '(answer)';
}

function step(value: unknown, segment: Segment): unknown {
  if ('name' in segment) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    return Object.hasOwn(value, segment.name) ? (value as Record<string, unknown>)[segment.name] : undefined;
  }
  if ('index' in segment) return Array.isArray(value) ? value[segment.index] : undefined;
  return undefined;
}

/** Follows segments; a missing step throws unless it is the leaf and `optionalLeaf` is set. */
function follow(
  root: unknown,
  segments: readonly Segment[],
  optionalLeaf: boolean,
  shown: Segment[],
): unknown {
  let value = root;
  for (const [i, segment] of segments.entries()) {
    shown.push(segment);
    value = step(value, segment);
    if (value === undefined) {
      if (optionalLeaf && i === segments.length - 1) return undefined;
      throw new PathError(`the answer has no ${showPath(shown)}`);
    }
  }
  return value;
}

/**
 * Reads a path as a list: the mapped elements for a path with `[]`, else the one value found. A
 * null or missing optional leaf reads as undefined.
 */
export function readList(root: unknown, path: string, options: { optionalLeaf?: boolean } = {}): unknown[] {
  const segments = parsePath(path);
  const at = segments.findIndex((s) => 'each' in s);
  const optionalLeaf = options.optionalLeaf ?? false;
  const nullToUndefined = (v: unknown) => (v === null && optionalLeaf ? undefined : v);
  if (at < 0) return [nullToUndefined(follow(root, segments, optionalLeaf, []))];
  const shown: Segment[] = [];
  const list = follow(root, segments.slice(0, at), false, shown);
  if (!Array.isArray(list)) throw new PathError(`the answer's ${showPath(shown)} is not a list`);
  const rest = segments.slice(at + 1);
  return list.map((element, i) =>
    nullToUndefined(follow(element, rest, optionalLeaf, [...shown, { index: i }])),
  );
}

/** Reads a path without `[]`. */
export function readOne(root: unknown, path: string, options: { optionalLeaf?: boolean } = {}): unknown {
  if (pathHasList(path)) throw new PathError(`"${path}" must not map over a list here`);
  return readList(root, path, options)[0];
}
