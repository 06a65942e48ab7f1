import { z } from 'zod';
import type { Result } from '../lib/brand';
import { fail, ok } from '../lib/brand';
import { type CsrSummary, SUBJECT_ATTRIBUTE_TYPES, type SubjectAttribute } from './csr';
import {
  EXTENDED_KEY_USAGES,
  type ExtendedKeyUsage,
  KEY_USAGES,
  type KeyUsage,
  RSA_ONLY_USAGES,
} from './key-usage';
import { CERTIFICATE_TYPES, type CertificateType, KEY_ALGORITHMS, type KeyAlgorithm } from './types';

/** The verified values a template may use; the NIK is deliberately not one of them. */
export const TEMPLATE_FIELDS = [
  'nama',
  'email',
  'perangkatDaerah',
  'organisation',
  'jabatan',
  'host',
  'nip',
] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];
export type SubjectData = Partial<Record<TemplateField, string | null>>;

const PLACEHOLDER = /\{([A-Za-z]+)\}/g;
const template = z
  .string()
  .min(1)
  .max(200)
  .refine(
    (value) =>
      [...value.matchAll(PLACEHOLDER)].every((m) =>
        (TEMPLATE_FIELDS as readonly string[]).includes(m[1] ?? ''),
      ),
    { message: `placeholders must be one of ${TEMPLATE_FIELDS.map((f) => `{${f}}`).join(', ')}` },
  );

export const certificateProfileSchema = z
  .object({
    keyAlgorithm: z.enum(KEY_ALGORITHMS),
    allowedKeyAlgorithms: z.array(z.enum(KEY_ALGORITHMS)).min(1),
    subject: z
      .array(z.object({ type: z.enum(SUBJECT_ATTRIBUTE_TYPES), value: template }))
      .min(1)
      .refine((attrs) => attrs.filter((a) => a.type === 'CN').length === 1, {
        message: 'the subject needs exactly one CN',
      }),
    subjectAltName: z.object({ email: z.array(template).max(4), dns: z.array(template).max(4) }),
    keyUsage: z.array(z.enum(KEY_USAGES)).min(1),
    extendedKeyUsage: z.array(z.enum(EXTENDED_KEY_USAGES)).min(1),
  })
  .refine((p) => p.allowedKeyAlgorithms.includes(p.keyAlgorithm), {
    message: 'keyAlgorithm must be one of allowedKeyAlgorithms',
  });
export type CertificateProfile = z.infer<typeof certificateProfileSchema>;

export const profileSetSchema = z.object({
  organisation: z.string().min(1).max(200),
  profiles: z.object(
    Object.fromEntries(CERTIFICATE_TYPES.map((t) => [t, certificateProfileSchema])) as Record<
      CertificateType,
      typeof certificateProfileSchema
    >,
  ),
});
export type ProfileSet = z.infer<typeof profileSetSchema>;

/** What a CSR for one application must contain: rendered from the profile and the verified data. */
export interface CsrRequest {
  keyAlgorithm: KeyAlgorithm;
  subject: SubjectAttribute[];
  emails: string[];
  dnsNames: string[];
  keyUsage: KeyUsage[];
  extendedKeyUsage: ExtendedKeyUsage[];
}

export type ProfileProblem =
  | { reason: 'missing-value'; field: TemplateField }
  | { reason: 'key-algorithm-not-allowed'; keyAlgorithm: KeyAlgorithm };

function render(value: string, data: SubjectData): Result<string, TemplateField> {
  let missing: TemplateField | null = null;
  const text = value.replace(PLACEHOLDER, (_, name: string) => {
    const field = name as TemplateField;
    const v = data[field]?.trim() ?? '';
    if (v === '') missing ??= field;
    return v;
  });
  return missing ? fail(missing) : ok(text.trim().replace(/\s+/g, ' '));
}

/**
 * Builds the request for a type. An empty value for a placeholder is a problem, never an empty
 * attribute: a jabatan certificate without its title would be issued as an individu one.
 */
export function renderProfile(
  profiles: ProfileSet,
  type: CertificateType,
  data: SubjectData,
  keyAlgorithm?: KeyAlgorithm,
): Result<CsrRequest, ProfileProblem> {
  const profile = profiles.profiles[type];
  const algorithm = keyAlgorithm ?? profile.keyAlgorithm;
  if (!profile.allowedKeyAlgorithms.includes(algorithm)) {
    return fail({ reason: 'key-algorithm-not-allowed', keyAlgorithm: algorithm });
  }
  const values: SubjectData = { ...data, organisation: profiles.organisation };
  const subject: SubjectAttribute[] = [];
  for (const attr of profile.subject) {
    const r = render(attr.value, values);
    if (!r.ok) return fail({ reason: 'missing-value', field: r.problem });
    subject.push({ type: attr.type, value: r.value });
  }
  const list = (templates: string[], fold: (v: string) => string) => {
    const out: string[] = [];
    for (const t of templates) {
      const r = render(t, values);
      if (!r.ok) return fail({ reason: 'missing-value' as const, field: r.problem });
      if (!out.includes(fold(r.value))) out.push(fold(r.value));
    }
    return ok(out);
  };
  const emails = list(profile.subjectAltName.email, (v) => v.toLowerCase());
  if (!emails.ok) return emails;
  const dnsNames = list(profile.subjectAltName.dns, (v) => v.toLowerCase().replace(/\.$/, ''));
  if (!dnsNames.ok) return dnsNames;
  const isRsa = algorithm.startsWith('RSA');
  return ok({
    keyAlgorithm: algorithm,
    subject,
    emails: emails.value,
    dnsNames: dnsNames.value,
    keyUsage: profile.keyUsage.filter((u) => isRsa || !RSA_ONLY_USAGES.includes(u)),
    extendedKeyUsage: [...profile.extendedKeyUsage],
  });
}

/** The template fields a type needs beyond the common ones, so forms can ask for exactly those. */
export function fieldsRequiredBy(profiles: ProfileSet, type: CertificateType): TemplateField[] {
  const profile = profiles.profiles[type];
  const templates = [
    ...profile.subject.map((a) => a.value),
    ...profile.subjectAltName.email,
    ...profile.subjectAltName.dns,
  ];
  const fields = new Set<TemplateField>();
  for (const t of templates) for (const m of t.matchAll(PLACEHOLDER)) fields.add(m[1] as TemplateField);
  fields.delete('organisation');
  return TEMPLATE_FIELDS.filter((f) => fields.has(f));
}

export type CsrMismatch =
  | 'subject'
  | 'emails'
  | 'dnsNames'
  | 'keyUsage'
  | 'extendedKeyUsage'
  | 'keyAlgorithm';

const KEY_SHAPES: Record<KeyAlgorithm, Pick<CsrSummary, 'keyAlgorithm' | 'keyBits'>> = {
  'RSA-2048': { keyAlgorithm: 'RSA', keyBits: 2048 },
  'RSA-3072': { keyAlgorithm: 'RSA', keyBits: 3072 },
  'ECDSA-P256': { keyAlgorithm: 'EC', keyBits: 256 },
};

/** The key algorithm a parsed CSR carries, if it is one the kiosk may make. */
export function keyAlgorithmOf(summary: Pick<CsrSummary, 'keyAlgorithm' | 'keyBits'>): KeyAlgorithm | null {
  const found = KEY_ALGORITHMS.find(
    (a) => KEY_SHAPES[a].keyAlgorithm === summary.keyAlgorithm && KEY_SHAPES[a].keyBits === summary.keyBits,
  );
  return found ?? null;
}

const sameSet = <T>(a: readonly T[], b: readonly T[]) =>
  a.length === b.length && a.every((x) => b.includes(x)) && b.every((x) => a.includes(x));

/**
 * A CSR is for this application only if it asks for exactly what the profile renders: the CA signs
 * what the CSR says, so anything extra or missing would end up in the certificate.
 */
export function compareCsr(summary: CsrSummary, request: CsrRequest): CsrMismatch[] {
  const mismatches: CsrMismatch[] = [];
  const sameSubject =
    summary.subject.length === request.subject.length &&
    summary.subject.every(
      (a, i) => a.type === request.subject[i]?.type && a.value === request.subject[i]?.value,
    );
  if (!sameSubject) mismatches.push('subject');
  if (
    !sameSet(
      summary.emails.map((e) => e.toLowerCase()),
      request.emails,
    )
  )
    mismatches.push('emails');
  if (
    !sameSet(
      summary.dnsNames.map((d) => d.toLowerCase()),
      request.dnsNames,
    )
  )
    mismatches.push('dnsNames');
  if (!sameSet(summary.keyUsage, request.keyUsage)) mismatches.push('keyUsage');
  if (
    summary.otherExtendedKeyUsage.length > 0 ||
    !sameSet(summary.extendedKeyUsage, request.extendedKeyUsage)
  ) {
    mismatches.push('extendedKeyUsage');
  }
  if (keyAlgorithmOf(summary) !== request.keyAlgorithm) mismatches.push('keyAlgorithm');
  return mismatches;
}
