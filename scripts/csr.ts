// `npm run csr -- --type <individu|jabatan|sistem> --subject-json <file> --passphrase-file <file> --out <dir>`
// Makes a key pair and CSR with the kiosk's own code (profiles, checks, PBES2) and writes
// `request.csr` (PEM) and `key.p8` (encrypted PKCS#8 PEM). Bad input: one English line, exit 1 or 2.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { estimateStrength } from '../src/adapters/passphrase/strength';
import { certificateProfiles } from '../src/app/certificate-profiles';
import { makeKeyRequest } from '../src/app/key-request';
import { kioskConfig } from '../src/app/kiosk-config';
import { type ApplicationDraft, subjectData, validateDraft } from '../src/core/application/application';
import { personalValues, validatePassphrase } from '../src/core/application/passphrase';
import { renderProfile } from '../src/core/certificate/profile';
import { type CertificateType, KEY_ALGORITHMS, type KeyAlgorithm } from '../src/core/certificate/types';
import { parseNik } from '../src/core/identity/nik';
import { CliError, readInputFile, readPassphraseFile, runCli } from './cli';

const USAGE =
  'usage: npm run csr -- --type <individu|jabatan|sistem> --subject-json <file> --passphrase-file <file> --out <dir> [--key-algorithm RSA-2048|RSA-3072|ECDSA-P256] [--force]';

const TYPES: Record<string, CertificateType> = {
  individu: 'individu',
  jabatan: 'jabatan',
  sistem: 'sistem-elektronik',
  'sistem-elektronik': 'sistem-elektronik',
};

const subjectSchema = z.object({
  nama: z.string().max(200),
  nik: z.string().max(40),
  nip: z.string().max(40).nullable().optional(),
  email: z.string().max(320),
  perangkatDaerah: z.string().max(200),
  jabatan: z.string().max(200).optional(),
  host: z.string().max(300).optional(),
});

async function main(): Promise<void> {
  let values: ReturnType<typeof parse>['values'];
  function parse() {
    return parseArgs({
      args: process.argv.slice(2).filter((a) => a !== '--'),
      options: {
        type: { type: 'string' },
        'subject-json': { type: 'string' },
        'passphrase-file': { type: 'string' },
        out: { type: 'string' },
        'key-algorithm': { type: 'string' },
        force: { type: 'boolean', default: false },
      },
      strict: true,
    });
  }
  try {
    values = parse().values;
  } catch (err) {
    throw new CliError(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`, 2);
  }
  const { type: typeName, 'subject-json': subjectFile, 'passphrase-file': passFile, out } = values;
  if (!typeName || !subjectFile || !passFile || !out) throw new CliError(USAGE, 2);
  const type = TYPES[typeName];
  if (!type) throw new CliError(`unknown --type ${typeName}: use individu, jabatan or sistem`, 2);
  const algorithmName = values['key-algorithm'];
  if (algorithmName !== undefined && !(KEY_ALGORITHMS as readonly string[]).includes(algorithmName)) {
    throw new CliError(`unknown --key-algorithm ${algorithmName}: use ${KEY_ALGORITHMS.join(', ')}`, 2);
  }

  let json: unknown;
  try {
    json = JSON.parse((await readInputFile(subjectFile, 'subject file', 64 * 1024)).toString('utf8'));
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError('the subject file is not valid JSON');
  }
  const parsed = subjectSchema.safeParse(json);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(file)'))];
    throw new CliError(`the subject file has missing or invalid fields: ${fields.join(', ')}`);
  }
  const subject = parsed.data;
  const draft: ApplicationDraft = {
    certificateType: type,
    nama: subject.nama,
    nik: subject.nik,
    nip: subject.nip ?? '',
    email: subject.email,
    perangkatDaerah: subject.perangkatDaerah,
    jabatan: subject.jabatan ?? '',
    host: subject.host ?? '',
  };
  const problems = validateDraft(draft, kioskConfig);
  if (problems.length > 0) {
    throw new CliError(
      `the subject is not valid: ${problems.map((p) => `${p.field} (${p.reason})`).join(', ')}`,
    );
  }

  const passphrase = await readPassphraseFile(passFile);
  const nik = parseNik(draft.nik);
  const data = subjectData(draft);
  const personal = personalValues({
    nik: nik.ok ? nik.value.nik : undefined,
    nip: data.nip ?? undefined,
    nama: data.nama ?? undefined,
    email: data.email ?? undefined,
  });
  // The kiosk's own policy, zxcvbn included: a system's key deserves no weaker passphrase.
  const strength = await estimateStrength(passphrase, personal, 'en');
  const passProblem = validatePassphrase(passphrase, passphrase, kioskConfig.passphrase, personal, strength);
  if (passProblem) {
    const detail =
      passProblem.reason === 'too-short'
        ? `shorter than ${passProblem.minLength} characters`
        : passProblem.reason === 'too-long'
          ? `longer than ${passProblem.maxLength} characters`
          : passProblem.reason === 'too-weak'
            ? `too weak (strength ${passProblem.score} of 4, at least ${passProblem.minScore} needed)`
            : passProblem.reason;
    throw new CliError(`the passphrase is not acceptable: ${detail}`);
  }

  const request = renderProfile(certificateProfiles, type, data, algorithmName as KeyAlgorithm | undefined);
  if (!request.ok) {
    throw new CliError(
      request.problem.reason === 'missing-value'
        ? `the ${typeName} profile needs ${request.problem.field} in the subject file`
        : `the ${typeName} profile does not allow ${request.problem.keyAlgorithm}`,
    );
  }
  const csrPath = join(out, 'request.csr');
  const keyPath = join(out, 'key.p8');
  // Overwriting a key.p8 could destroy the only copy of someone's private key.
  if (!values.force && (existsSync(csrPath) || existsSync(keyPath))) {
    throw new CliError(`${out} already holds request.csr or key.p8; pass --force to replace them`);
  }
  const made = await makeKeyRequest({ request: request.value, passphrase });
  if (!made.ok) throw new CliError(`the CSR failed its own check (${made.problem.reason})`);
  await mkdir(out, { recursive: true });
  await writeFile(keyPath, made.value.encryptedPrivateKeyPem, { mode: 0o600 });
  await writeFile(csrPath, made.value.csrPem);
  console.error(`wrote ${csrPath} and ${keyPath} (${request.value.keyAlgorithm}, ${type})`);
}

runCli('csr', main);
