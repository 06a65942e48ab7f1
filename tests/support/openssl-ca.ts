/**
 * A throwaway certificate authority made with the system's OpenSSL: the outside party that proves
 * the kiosk's CSRs, keys and PKCS#12 files work with tools it does not control.
 */
import { spawnSync } from 'node:child_process';
import { opensslWorkspace } from './openssl';

export interface OpensslResult {
  status: number | null;
  out: string;
}

/** OpenSSL with text on stdin (a CSR or certificate PEM); `out` is stdout and stderr together. */
export function openssl(args: string[], input?: string): OpensslResult {
  const run = spawnSync('openssl', args, { encoding: 'utf8', ...(input !== undefined ? { input } : {}) });
  if (run.error) throw run.error;
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

export interface OpensslCa {
  dir: string;
  certificatePem: string;
  /** Signs a CSR as a CA would, copying its requested extensions; returns the certificate PEM. */
  sign(csrPem: string, options?: { days?: number }): string;
  /** A certificate for a fresh key of OpenSSL's own, with the given subject (the "other key" case). */
  issueForOtherKey(subject: string): string;
  remove(): void;
}

export function makeOpensslCa(name = 'Test CA Sertel'): OpensslCa {
  const ws = opensslWorkspace('sertel-openssl-ca');
  ws.must([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '30',
    '-subj',
    `/C=ID/O=Uji Sertel/CN=${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  let serial = 1;
  const sign = (csrPem: string, options: { days?: number } = {}) => {
    const n = serial++;
    ws.write(`r${n}.csr`, csrPem);
    ws.must([
      'x509',
      '-req',
      '-in',
      `r${n}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-set_serial',
      String(1000 + n),
      '-days',
      String(options.days ?? 365),
      '-copy_extensions',
      'copyall',
      '-out',
      `c${n}.pem`,
    ]);
    return ws.readText(`c${n}.pem`);
  };
  return {
    dir: ws.dir,
    certificatePem: ws.readText('ca.pem'),
    sign,
    issueForOtherKey(subject) {
      const n = serial;
      ws.must([
        'req',
        '-new',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        `o${n}.key`,
        '-out',
        `o${n}.csr`,
        '-subj',
        subject,
      ]);
      return sign(ws.readText(`o${n}.csr`));
    },
    remove: ws.remove,
  };
}
