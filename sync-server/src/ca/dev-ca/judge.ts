import * as asn1js from 'asn1js';
import { normaliseNama } from '../../../../src/core/application/application';
import { type CsrProblem, verifyCsr } from '../../../../src/core/certificate/csr';
import {
  type CsrRequest,
  compareCsr,
  keyAlgorithmOf,
  type ProfileSet,
  renderProfile,
} from '../../../../src/core/certificate/profile';
import { CERTIFICATE_TYPES, type CertificateType } from '../../../../src/core/certificate/types';
import { fromPem } from '../../../../src/core/lib/pem';
import { nodeSignatureVerifier } from '../../domain/node-signature-verifier';
import type { CaRequest } from '../connector';
import type { Verdict } from './dev-ca-db';

/*
 * What the CA checks when a request arrives: the CSR is well-formed and signed by its own key, and
 * asks for exactly what the certificate profile makes of the request's data. Reasons name fields,
 * never their values (they are personal data).
 */

const CSR_REASONS: Record<CsrProblem, string> = {
  'not-pem': 'the CSR is not a PEM CERTIFICATE REQUEST',
  malformed: 'the CSR is not a well-formed PKCS#10 request',
  'bad-signature': 'the CSR signature does not verify',
  'no-common-name': 'the CSR subject has no common name',
  'unsupported-key': 'the CSR key must be RSA (2048 bits or more) or ECDSA P-256',
};

const isCertificateType = (type: string): type is CertificateType =>
  (CERTIFICATE_TYPES as readonly string[]).includes(type);

/**
 * The number of subject attributes when every RDN holds exactly one, else null. The CSR summary
 * skips attribute types it has no name for and flattens multi-valued RDNs, so without this an extra
 * attribute (a NIK as serialNumber, say) would pass the profile check unseen.
 */
function singleValuedAttributeCount(csrPem: string): number | null {
  const der = fromPem('CERTIFICATE REQUEST', csrPem);
  if (!der) return null;
  const parsed = asn1js.fromBER(der);
  const info = parsed.result instanceof asn1js.Sequence ? parsed.result.valueBlock.value[0] : undefined;
  const name = info instanceof asn1js.Sequence ? info.valueBlock.value[1] : undefined;
  if (!(name instanceof asn1js.Sequence)) return null;
  const rdns = name.valueBlock.value;
  const single = rdns.every((rdn) => rdn instanceof asn1js.Set && rdn.valueBlock.value.length === 1);
  return single ? rdns.length : null;
}

/** The same data the RA's own check renders the profile from (record-check.ts), so both agree. */
function subjectData(request: CaRequest, type: CertificateType) {
  return {
    nama: normaliseNama(request.nama),
    email: request.email.trim().toLowerCase(),
    perangkatDaerah: request.perangkatDaerah.trim(),
    nip: request.nip,
    jabatan: type === 'jabatan' ? request.jabatan : null,
    host: type === 'sistem-elektronik' ? request.host : null,
  };
}

/** Accepted with what to issue (the rendered profile), or refused with an English reason. */
export async function judgeRequest(request: CaRequest, profiles: ProfileSet): Promise<Verdict> {
  const refuse = (reason: string): Verdict => ({ accepted: false, reason });
  const type: string = request.certificateType;
  if (!isCertificateType(type)) return refuse('the certificate type is not one the CA issues');
  if (request.applicationId.trim() === '') return refuse('the request has no application id');
  const csr = await verifyCsr(request.csrPem, undefined, nodeSignatureVerifier);
  if (!csr.ok) return refuse(CSR_REASONS[csr.problem]);
  if (singleValuedAttributeCount(request.csrPem) !== csr.value.subject.length) {
    return refuse('the CSR subject must hold only the profile attributes, one per RDN');
  }
  const keyAlgorithm = keyAlgorithmOf(csr.value);
  if (!keyAlgorithm) return refuse(`the CSR key is not one the ${type} profile allows`);
  const rendered = renderProfile(profiles, type, subjectData(request, type), keyAlgorithm);
  if (!rendered.ok) {
    return refuse(
      rendered.problem.reason === 'missing-value'
        ? `the request lacks ${rendered.problem.field}, which the ${type} profile needs`
        : `the ${type} profile does not allow ${keyAlgorithm} keys`,
    );
  }
  const mismatches = compareCsr(csr.value, rendered.value);
  if (mismatches.length > 0) {
    return refuse(`the CSR does not fit the ${type} profile: ${mismatches.join(', ')}`);
  }
  const profile: CsrRequest = rendered.value;
  return { accepted: true, csrPem: request.csrPem, profileJson: JSON.stringify(profile) };
}
