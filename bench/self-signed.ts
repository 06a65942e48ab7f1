// An applicant key and a certificate for it from a throwaway CA: what a PKCS#12 build needs.
import type * as pkijs from 'pkijs';
import { generateApplicantKeyPair } from '../src/core/certificate/keys';
import { issueCertificate, makeTestCa } from '../tests/support/test-ca';

export async function makeSelfSignedForBench(): Promise<{
  pkcs8: ArrayBuffer;
  certificate: pkijs.Certificate;
}> {
  const ca = await makeTestCa();
  const keys = await generateApplicantKeyPair('RSA-2048');
  const certificate = await issueCertificate({
    subject: [
      { type: 'C', value: 'ID' },
      { type: 'CN', value: 'SITI RAHAYU' },
    ],
    publicKey: keys.publicKey,
    issuer: ca,
  });
  return { pkcs8: await crypto.subtle.exportKey('pkcs8', keys.privateKey), certificate };
}
