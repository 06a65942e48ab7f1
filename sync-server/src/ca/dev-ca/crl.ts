import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { REVOCATION_REASONS } from '../connector';
import type { IssuingAuthority } from './ca-keys';
import type { RevokedEntry } from './dev-ca-db';
import {
  addDays,
  authorityKeyIdentifierExtension,
  extension,
  OID_CRL_NUMBER,
  OID_CRL_REASON,
  SIGNATURE_HASH,
  serialInteger,
  x509Time,
} from './x509';

/** RFC 5280 5.2.1, 5.3.1: a v2 CRL is version 1; its next update a day after this one. */
const CRL_VERSION_2 = 1;
const CRL_VALIDITY_DAYS = 1;

export interface CrlInput {
  authority: IssuingAuthority;
  revoked: readonly RevokedEntry[];
  crlNumber: number;
  /** Whole seconds. */
  thisUpdate: Date;
}

/** A full CRL of everything the issuing CA revoked, signed by it; DER. */
export async function buildCrl(input: CrlInput): Promise<{ der: Uint8Array; nextUpdate: Date }> {
  const nextUpdate = addDays(input.thisUpdate, CRL_VALIDITY_DAYS);
  const crl = new pkijs.CertificateRevocationList({
    version: CRL_VERSION_2,
    issuer: input.authority.issuingCertificate.subject,
    thisUpdate: x509Time(input.thisUpdate),
    nextUpdate: x509Time(nextUpdate),
    crlExtensions: new pkijs.Extensions({
      extensions: [
        authorityKeyIdentifierExtension(input.authority.issuingKeyId),
        extension(OID_CRL_NUMBER, false, new asn1js.Integer({ value: input.crlNumber })),
      ],
    }),
    // An empty list is left out, not encoded as an empty SEQUENCE (RFC 5280 5.1.2.6).
    ...(input.revoked.length > 0
      ? {
          revokedCertificates: input.revoked.map(
            (entry) =>
              new pkijs.RevokedCertificate({
                userCertificate: serialInteger(entry.serialHex),
                revocationDate: x509Time(new Date(entry.revokedAt)),
                crlEntryExtensions: new pkijs.Extensions({
                  extensions: [
                    extension(
                      OID_CRL_REASON,
                      false,
                      new asn1js.Enumerated({ value: REVOCATION_REASONS[entry.reason] }),
                    ),
                  ],
                }),
              }),
          ),
        }
      : {}),
  });
  await crl.sign(input.authority.issuingKey, SIGNATURE_HASH);
  return { der: new Uint8Array(crl.toSchema().toBER(false)), nextUpdate };
}
