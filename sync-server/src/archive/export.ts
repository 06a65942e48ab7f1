/**
 * The applicant's access right (issue 8, UU 27/2022): every application of one person, found by the
 * keyed NIK hash, opened from the sealed archive with its corrections applied, its events and its
 * corrections, as JSON (files as base64). An officer action: refused without an active officer and
 * a reason, and recorded as `archive-opened` with both before anything is handed out.
 */
import { parseNik } from '../../../src/core/identity/nik';
import type { ServerAuditLog } from '../audit/server-chain';
import { nikHashHex } from '../store/nik-hash';
import type { Store } from '../store/store';

export const MAX_EXPORT_REASON_CHARS = 500;

export interface ArchiveExport {
  exportedAt: string;
  officer: { id: string; username: string };
  reason: string;
  applications: unknown[];
}

export type ExportOutcome =
  | { ok: true; export: ArchiveExport }
  | {
      ok: false;
      code: 'invalid-nik' | 'invalid-reason' | 'unknown-officer' | 'officer-not-active';
      message: string;
    };

const base64 = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

export async function exportApplicant(
  store: Store,
  audit: ServerAuditLog,
  request: { nik: string; officerUsername: string; reason: string; now: Date },
): Promise<ExportOutcome> {
  if (!parseNik(request.nik).ok)
    return { ok: false, code: 'invalid-nik', message: 'not a structurally valid NIK' };
  const reason = request.reason.trim();
  if (reason.length === 0 || reason.length > MAX_EXPORT_REASON_CHARS) {
    return {
      ok: false,
      code: 'invalid-reason',
      message: `a reason of 1 to ${MAX_EXPORT_REASON_CHARS} characters is required`,
    };
  }
  const officer = await store.getOfficerByUsername(request.officerUsername);
  if (officer === null)
    return { ok: false, code: 'unknown-officer', message: 'no officer has this username' };
  if (officer.status !== 'active') {
    return { ok: false, code: 'officer-not-active', message: 'the officer account is not active' };
  }
  const ids = await store.applicationIdsByNikHash(nikHashHex(await store.nikHashKey(), request.nik));
  // Recorded before the archive is opened: an export that fails half-way was still an attempt.
  await audit.record('archive-opened', `officer:${officer.id}`, ids.join(',') || null, {
    purpose: 'export',
    reason,
    applications: String(ids.length),
  });
  const applications: unknown[] = [];
  for (const id of ids) {
    const application = await store.getApplication(id);
    if (application === null) continue;
    const { ektpImage, attachments, legacyContentHash: _legacy, ...fields } = application;
    applications.push({
      application: {
        ...fields,
        ektpImageBase64: base64(ektpImage),
        attachments: (attachments ?? []).map((a) => ({
          kind: a.kind,
          mediaType: a.mediaType,
          dataBase64: base64(a.data),
        })),
      },
      decision: await store.getDecision(id),
      release: await store.getRelease(id),
      events: await store.listApplicationEvents(id),
      corrections: (await store.listCorrections(id)).map(({ payload: _p, signature: _s, ...c }) => c),
    });
  }
  return {
    ok: true,
    export: {
      exportedAt: request.now.toISOString(),
      officer: { id: officer.id, username: officer.username },
      reason,
      applications,
    },
  };
}
