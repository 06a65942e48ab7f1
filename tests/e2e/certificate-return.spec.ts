import { expect, test } from '@playwright/test';
import { ADMIN_APPLICATION_OUTCOME_PATH } from '../../src/protocol/sync';
import { makeOpensslCa } from '../support/openssl-ca';
import { KioskPage } from './pages/kiosk-page';
import { createOfficer, OfficerPage } from './pages/officer-page';

const admin = { authorization: `Bearer ${process.env.E2E_ADMIN_TOKEN ?? ''}` };

test('the CA’s answers come back to the kiosk that sent the applications: a certificate ready to hand over, a refusal with its reason', async ({
  page,
}) => {
  const kiosk = new KioskPage(page);
  const ca = makeOpensslCa();
  try {
    await kiosk.open();
    await kiosk.enroll('Loket Serah Terima');
    const [issued, refused, waiting] = await kiosk.queueSimulatedApplications(3);
    if (!issued || !refused || !waiting) throw new Error('three applications expected');
    // Rows written behind Dexie's back are seen after a reload.
    await page.reload();
    await kiosk.syncNow();
    await expect(page.locator('[data-testid="outbox-item"][data-state="synced"]')).toHaveCount(3, {
      timeout: 30_000,
    });

    // At the RA: the certificate from the BSrE portal for one, the CA's refusal for another.
    const certificatePem = ca.sign(issued.record.csrPem);
    const outcome = (id: string, data: unknown) =>
      page.request.post(ADMIN_APPLICATION_OUTCOME_PATH.replace(':id', id), { headers: admin, data });
    expect((await outcome(issued.id, { outcome: 'issued', certificatePem })).status()).toBe(200);
    expect(
      (await outcome(refused.id, { outcome: 'ca-rejected', reason: 'NIP tidak terdaftar' })).status(),
    ).toBe(200);

    // The officer asks for news; the kiosk pulls the statuses and keeps the certificate.
    await page.getByRole('button', { name: 'Sinkronkan sekarang' }).click();
    await expect(kiosk.outboxItem(issued.id)).toHaveAttribute('data-lifecycle', 'issued', {
      timeout: 30_000,
    });
    await expect(kiosk.outboxItem(issued.id)).toContainText('Sertifikat terbit');
    await expect(kiosk.outboxItem(refused.id)).toHaveAttribute('data-lifecycle', 'ca-rejected');
    await expect(kiosk.outboxItem(refused.id)).toContainText('Alasan BSrE: NIP tidak terdaftar');
    await expect(kiosk.outboxItem(waiting.id)).toHaveAttribute('data-lifecycle', 'synced');

    // Handover, by an officer, needs no file: the certificate that came back is checked and used.
    const officers = new OfficerPage(page);
    const { officer, code } = await createOfficer(page, 'AGUS PRASETYO', '318604');
    await officers.enroll(officer, code);
    await officers.signIn(officer);
    const handover = await officers.openHandover(issued.id);
    await expect(handover.getByTestId('handover-from-server')).toBeVisible();
    await expect(handover.getByRole('status')).toContainText('Sertifikat cocok dengan permohonan ini');
    await handover.getByLabel('Frasa sandi pemohon').fill('frasa sandi simulasi 0');
    await handover.getByRole('button', { name: 'Buka kunci dan buat berkas' }).click();
    await expect(handover.getByTestId('download-p12')).toBeVisible({
      timeout: 30_000,
    });
    await expect(page.getByTestId('status-view')).toHaveAttribute('data-stage', 'handed-over');
    await officers.backToApplicant();
    await kiosk.openOutbox();
    await expect(kiosk.outboxItem(issued.id)).toHaveAttribute('data-lifecycle', 'handed-over');
  } finally {
    ca.remove();
  }
});
