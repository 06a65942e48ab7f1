import type { Kysely } from 'kysely';
import { CERTIFICATE_TYPES, type CertificateType } from '../../../src/core/certificate/types';
import type { ReportApplication } from '../report/yearly-report';
import type { StoreDatabase } from './kysely-store';
import type { Store } from './store';

/** Rows per read: a year of a city's applications in a few round trips, never all in one. */
const PAGE_ROWS = 5000;

/** The report's view of the store: every application, its decision and its certificate dates. */
export function createReportMethods(db: Kysely<StoreDatabase>): Pick<Store, 'listReportApplications'> {
  return {
    async listReportApplications() {
      const out: ReportApplication[] = [];
      // Keyset pages by id: stable while kiosks keep sending.
      for (let after = ''; ; ) {
        const rows = await db
          .selectFrom('applications as a')
          .leftJoin('application_decisions as d', 'd.application_id', 'a.id')
          .select([
            'a.id',
            'a.perangkat_daerah',
            'a.certificate_type',
            'a.created_at',
            'a.state',
            'a.state_changed_at',
            'a.certificate_not_after',
            'a.previous_relation',
            'd.decision',
            'd.decided_at',
            'd.reasons',
          ])
          .where('a.id', '>', after)
          .orderBy('a.id')
          .limit(PAGE_ROWS)
          .execute();
        for (const row of rows) {
          out.push({
            id: row.id,
            perangkatDaerah: row.perangkat_daerah,
            certificateType: certificateTypeOf(row.certificate_type),
            createdAt: row.created_at,
            decision:
              (row.decision === 'approved' || row.decision === 'rejected') && row.decided_at
                ? {
                    kind: row.decision,
                    decidedAt: row.decided_at,
                    reasons: JSON.parse(row.reasons ?? '[]') as string[],
                  }
                : null,
            issuedAt: row.state === 'issued' ? row.state_changed_at : null,
            certificateNotAfter: row.certificate_not_after,
            relation:
              row.previous_relation === 'renewal' || row.previous_relation === 'replacement'
                ? row.previous_relation
                : null,
          });
        }
        const last = rows.at(-1);
        if (last === undefined || rows.length < PAGE_ROWS) return out;
        after = last.id;
      }
    },
  };
}

function certificateTypeOf(value: string): CertificateType {
  const known = CERTIFICATE_TYPES.find((type) => type === value);
  if (known === undefined) throw new Error(`stored application has an unknown certificate type: ${value}`);
  return known;
}
