/**
 * The server as the archive tests drive it: the app over a store with a keyed audit chain, one
 * enrolled kiosk and one enrolled officer (BUDI SANTOSO) on it.
 */
import { auditKeyFrom } from '../../sync-server/src/audit/key';
import { createServerAuditLog, type ServerAuditLog } from '../../sync-server/src/audit/server-chain';
import { createApp } from '../../sync-server/src/http/app';
import { createLogger } from '../../sync-server/src/logger';
import type { Store } from '../../sync-server/src/store/store';
import { enrollTestOfficer, type TestOfficer } from './officer-fixtures';
import { appFetcher, enrollTestKiosk, type Fetcher, type TestKiosk } from './signed-kiosk';

/**
 * `now` is the app's clock; the audit chain keeps the real time unless given `auditNow`, and the
 * officer enrolls at the real time unless given `officerAt`.
 */
export async function archiveServer(
  store: Store,
  options: { now: () => Date; auditNow?: () => Date; officerAt?: Date },
): Promise<{ audit: ServerAuditLog; fetcher: Fetcher; kiosk: TestKiosk; officer: TestOfficer }> {
  const audit = createServerAuditLog({
    store,
    key: auditKeyFrom('kunci-audit-uji-0123456789abcdef0123'),
    ...(options.auditNow === undefined ? {} : { now: options.auditNow }),
  });
  const fetcher = appFetcher(createApp({ store, logger: createLogger('silent'), now: options.now, audit }));
  const kiosk = await enrollTestKiosk(fetcher, store);
  const officer = await enrollTestOfficer(fetcher, store, kiosk, {
    nama: 'BUDI SANTOSO',
    ...(options.officerAt === undefined ? {} : { at: options.officerAt }),
  });
  return { audit, fetcher, kiosk, officer };
}
