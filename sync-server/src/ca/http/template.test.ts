import { describe, expect, it } from 'vitest';
import {
  checkTemplate,
  type Json,
  PathError,
  readList,
  readOne,
  renderPath,
  renderTemplate,
  TemplateError,
  type TemplateScope,
} from './template';

const CSR = '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\nAQAB\n-----END CERTIFICATE REQUEST-----\n';
const scope: TemplateScope = {
  values: {
    applicationId: 'a-1',
    certificateType: 'jabatan',
    csr: CSR,
    'holder.nama': 'SITI RAHAYU',
    'holder.nip': null,
    'holder.email': 'Siti@Madiunkota.go.id',
    count: 2,
    references: ['r1', 'r2'],
  },
  documents: [{ kind: 'ektp', mediaType: 'image/jpeg', data: new Uint8Array([1, 2, 3]) }],
};
const lookups = { jenis: { individu: 'PERORANGAN', jabatan: 'JABATAN' } };

describe('renderTemplate', () => {
  it.each<[string, Json, Json]>([
    ['a whole expression keeps its type', '{{count}}', 2],
    ['a list fills the whole string', '{{references}}', ['r1', 'r2']],
    ['null stays null', '{{holder.nip}}', null],
    ['null inside text is empty', 'NIP: {{holder.nip}}.', 'NIP: .'],
    ['text around values', '{{holder.nama}} ({{certificateType}})', 'SITI RAHAYU (jabatan)'],
    ['spaces inside braces', '{{ holder.nama | lower }}', 'siti rahayu'],
    ['a document is its base64', '{{document:ektp}}', 'AQID'],
    ['base64 filter', '{{document:ektp|base64}}', 'AQID'],
    ['data URL', '{{document:ektp|dataUrl}}', 'data:image/jpeg;base64,AQID'],
    ['media type', '{{document:ektp|mediaType}}', 'image/jpeg'],
    ['a missing document is null', '{{document:sk|base64}}', null],
    ['der strips the PEM armour', '{{csr|der}}', 'MIIBAQAB'],
    ['upper', '{{holder.email|upper}}', 'SITI@MADIUNKOTA.GO.ID'],
    ['lookup', '{{certificateType|lookup:jenis}}', 'JABATAN'],
    ['literal text stays', 'Madiun', 'Madiun'],
    ['numbers pass through', 7, 7],
  ])('%s', (_, template, expected) => {
    expect(renderTemplate(template, scope, lookups)).toEqual(expected);
  });

  it('renders nested objects and lists, keys untouched', () => {
    expect(
      renderTemplate({ data: [{ nama: '{{holder.nama}}', kota: 'Madiun' }], n: '{{count}}' }, scope),
    ).toEqual({ data: [{ nama: 'SITI RAHAYU', kota: 'Madiun' }], n: 2 });
  });

  it.each<[string, string]>([
    ['a list inside text', 'refs: {{references}}'],
    ['der on non-PEM', '{{holder.nama|der}}'],
    ['base64 on text', '{{holder.nama|base64}}'],
    ['an unknown variable', '{{holder.nik}}'],
    ['an unknown filter', '{{holder.nama|shout}}'],
  ])('throws TemplateError on %s, without the values', (_, template) => {
    let error: unknown;
    try {
      renderTemplate(template, scope, lookups);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TemplateError);
    expect(String(error)).not.toContain('SITI');
  });
});

describe('renderPath', () => {
  it('percent-encodes values', () => {
    expect(renderPath('/requests/{{holder.nama}}?type={{certificateType}}', scope)).toBe(
      '/requests/SITI%20RAHAYU?type=jabatan',
    );
  });
});

describe('checkTemplate', () => {
  const check = { variables: ['items', 'count'], documents: false, lookups: ['jenis'] };
  it('accepts a good template', () => {
    expect(checkTemplate({ a: '{{items}}', b: ['{{count|lookup:jenis}}'] }, check)).toEqual([]);
  });
  it('names each problem with its place', () => {
    expect(
      checkTemplate(
        { a: '{{item}}', b: ['{{count|lookup:nope}}'], c: { d: '{{document:ektp}}' }, e: '{{bad name}}' },
        check,
      ),
    ).toEqual([
      'a: unknown variable "item" (here: items, count)',
      'b[0]: no lookup table "nope"',
      'c.d: documents are not available here',
      'e: "bad name" is not a variable name',
    ]);
  });
});

describe('readList and readOne', () => {
  const answer = {
    accepted: [
      { applicationId: 'a', reference: 'R1' },
      { applicationId: 'b', reference: 'R2' },
    ],
    data: { items: [{ id: 5 }] },
    statuses: [{ s: 'ok' }, { s: 'ok', reason: null }, { s: 'no', reason: 'bad' }],
  };
  it.each<[string, unknown[]]>([
    ['accepted[].reference', ['R1', 'R2']],
    ['data.items[0].id', [5]],
    ['data.items[].id', [5]],
    ['accepted[1]', [{ applicationId: 'b', reference: 'R2' }]],
  ])('%s', (path, expected) => {
    expect(readList(answer, path)).toEqual(expected);
  });

  it('reads a top-level list', () => {
    expect(readList([{ r: 1 }, { r: 2 }], '[].r')).toEqual([1, 2]);
  });

  it('an optional leaf may be missing or null', () => {
    expect(readList(answer, 'statuses[].reason', { optionalLeaf: true })).toEqual([
      undefined,
      undefined,
      'bad',
    ]);
  });

  it.each<[string, string]>([
    ['accepted[].nope', 'the answer has no accepted[0].nope'],
    ['missing[].x', 'the answer has no missing'],
    ['data[].x', "the answer's data is not a list"],
    ['data.items[3].id', 'the answer has no data.items[3]'],
  ])('%s is a PathError naming the place', (path, message) => {
    expect(() => readList(answer, path)).toThrow(new PathError(message));
  });

  it.each(['a..b', 'a[].b[]', 'a[x]', ''])('%j is not a path', (path) => {
    expect(() => readList(answer, path)).toThrow(PathError);
  });

  it('readOne refuses a list path', () => {
    expect(readOne(answer, 'data.items[0].id')).toBe(5);
    expect(() => readOne(answer, 'accepted[].reference')).toThrow(PathError);
  });
});
