// `npm run p12 -- --key <key.p8> --cert <cert.pem> [--chain <pem>] --passphrase-file <file>
//   --out <file.p12> [--legacy] [--name <friendly name>]`
// Hands an issued certificate over as PKCS#12: decrypts the applicant's key with the passphrase,
// proves the certificate is for that key (and within its dates, and issued by the chain), and writes
// the PKCS#12 under the same passphrase. Errors are one English line on stderr: exit 1 for bad input,
// 2 for bad usage.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { checkCertificate, parseCertificates, readSubject } from '../src/core/certificate/certificate';
import { decryptPrivateKey } from '../src/core/certificate/pkcs8';
import { buildPkcs12 } from '../src/core/certificate/pkcs12';
import { CliError, readInputFile, readPassphraseFile, runCli } from './cli';

const USAGE =
  'usage: npm run p12 -- --key <key.p8> --cert <cert.pem> [--chain <pem>] --passphrase-file <file> --out <file.p12> [--legacy] [--name <friendly name>]';

function options() {
  try {
    const { values, positionals } = parseArgs({
      options: {
        key: { type: 'string' },
        cert: { type: 'string' },
        chain: { type: 'string' },
        'passphrase-file': { type: 'string' },
        out: { type: 'string' },
        legacy: { type: 'boolean', default: false },
        name: { type: 'string' },
      },
      allowPositionals: true,
    });
    const { key, cert, out } = values;
    const passphraseFile = values['passphrase-file'];
    if (positionals.length > 0) throw new CliError(`unexpected argument ${positionals[0]}\n${USAGE}`, 2);
    if (!key || !cert || !passphraseFile || !out) {
      throw new CliError(`--key, --cert, --passphrase-file and --out are required\n${USAGE}`, 2);
    }
    return { key, cert, chain: values.chain, passphraseFile, out, legacy: values.legacy, name: values.name };
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`, 2);
  }
}

const KEY_PROBLEMS = {
  'not-pem': 'is not an ENCRYPTED PRIVATE KEY PEM file',
  corrupt: 'is damaged (its structure or contents do not check out)',
  unsupported: 'uses an encryption or key type this tool does not accept',
  'wrong-passphrase': 'does not open with this passphrase (wrong passphrase)',
} as const;

async function main(): Promise<void> {
  const args = options();
  const passphrase = await readPassphraseFile(args.passphraseFile);

  const keyPem = (await readInputFile(args.key, 'key')).toString('utf8');
  const certBytes = new Uint8Array(await readInputFile(args.cert, 'certificate'));
  const chainBytes = args.chain ? new Uint8Array(await readInputFile(args.chain, 'chain')) : null;

  const key = await decryptPrivateKey(keyPem, passphrase);
  if (!key.ok) throw new CliError(`the key ${args.key} ${KEY_PROBLEMS[key.problem]}`);

  const certificates = parseCertificates(certBytes);
  if (!certificates.ok) throw new CliError(`${args.cert} is not an X.509 certificate (PEM or DER)`);
  const [certificate, ...bundled] = certificates.value;
  if (!certificate) throw new CliError(`${args.cert} holds no certificate`);
  const extraChain = chainBytes ? parseCertificates(chainBytes) : null;
  if (extraChain && !extraChain.ok)
    throw new CliError(`${args.chain} is not an X.509 certificate chain (PEM or DER)`);
  const chain = [...bundled, ...(extraChain?.ok ? extraChain.value : [])];

  // No application here: the certificate's own subject stands in; key, dates and chain still count.
  const checked = await checkCertificate({
    certificate,
    privateKeyPkcs8: key.value,
    expectedSubject: readSubject(certificate.subject),
    now: new Date(),
    chain,
  });
  if (!checked.ok) {
    const day = (date: Date) => date.toISOString().slice(0, 10);
    const messages = {
      'other-key': `the certificate ${args.cert} is for another key than ${args.key}`,
      'other-subject': `the certificate ${args.cert} names another subject`,
      expired: `the certificate ${args.cert} expired on ${day(certificate.notAfter.value)}`,
      'not-yet-valid': `the certificate ${args.cert} is not valid before ${day(certificate.notBefore.value)}`,
      'bad-chain': `the certificate ${args.cert} was not issued by the chain given`,
    } as const;
    throw new CliError(messages[checked.problem]);
  }

  const p12 = await buildPkcs12({
    privateKeyPkcs8: key.value,
    certificate,
    chain,
    password: passphrase,
    form: args.legacy ? 'legacy' : 'modern',
    ...(args.name === undefined ? {} : { friendlyName: args.name }),
  });
  if (!p12.ok) throw new CliError('--legacy needs an RSA key; this key is EC (leave out --legacy)');
  try {
    await writeFile(args.out, p12.value, { mode: 0o600 });
  } catch (err) {
    throw new CliError(`cannot write ${args.out}: ${(err as NodeJS.ErrnoException).code ?? 'write failed'}`);
  }
  const cn = checked.value.subject.find((a) => a.type === 'CN')?.value ?? '';
  console.log(
    `wrote ${args.out} (${args.legacy ? 'legacy' : 'modern'}): CN=${cn}, serial ${checked.value.serialNumberHex}, valid until ${checked.value.notAfter}`,
  );
}

runCli('p12', main);
