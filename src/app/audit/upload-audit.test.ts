import { describe, expect, it } from 'vitest';
import { type ChainHead, GENESIS } from '../../core/audit/chain';
import { verifyChain, verifyCheckpointSignature } from '../../core/audit/checkpoint';
import { type AuditUpload, auditUploadSchema } from '../../protocol/audit';
import { generateDeviceKey } from '../../protocol/kiosk-auth';
import { createMemoryAuditLog } from './memory-audit-log';
import { uploadAudit } from './upload-audit';

const KIOSK = '11111111-2222-4333-8444-555555555555';

/** A server that verifies each page as the real one does and remembers its head. */
function fakeServer() {
  let head: ChainHead = GENESIS;
  const pages: AuditUpload[] = [];
  return {
    pages,
    setHead(seq: number, hash: string) {
      head = { seq, hash };
    },
    transport: {
      async sendAudit(upload: AuditUpload) {
        pages.push(upload);
        expect(auditUploadSchema.safeParse(upload).success).toBe(true);
        // Past what it holds: it asks for the chain from its head, as the real server does.
        if ((upload.events[0]?.seq ?? 0) > head.seq + 1) {
          return { kind: 'response' as const, status: 200, body: { acknowledgedSeq: head.seq } };
        }
        const fresh = upload.events.filter((e) => e.seq > head.seq);
        const problems = await verifyChain({
          events: fresh,
          checkpoints: upload.checkpoints.filter((c) => c.seq > head.seq),
          start: head,
          verifyCheckpoint: (c) => verifyCheckpointSignature(c),
          requireCheckpointedHead: true,
        });
        if (problems.length > 0)
          return { kind: 'response' as const, status: 409, body: { error: { code: 'audit-chain-break' } } };
        const last = fresh.at(-1);
        if (last) head = { seq: last.seq, hash: last.hash };
        return { kind: 'response' as const, status: 200, body: { acknowledgedSeq: head.seq } };
      },
    },
  };
}

describe('uploadAudit', () => {
  it('sends the chain in pages, each ending on a signed checkpoint, and remembers the acknowledgement', async () => {
    const key = await generateDeviceKey();
    const trail = createMemoryAuditLog({ key: async () => key });
    for (let i = 0; i < 230; i++) await trail.append('captured', `app-${i}`);
    const server = fakeServer();
    expect(await uploadAudit({ trail, transport: server.transport, kioskId: KIOSK })).toEqual({
      sent: 230,
      error: null,
      credentials: null,
    });
    expect(server.pages.map((p) => [p.events[0]?.seq, p.events.at(-1)?.seq])).toEqual([
      [1, 200],
      [201, 230],
    ]);
    expect(await trail.acknowledged(KIOSK)).toBe(230);
    // Nothing new: nothing sent.
    expect(await uploadAudit({ trail, transport: server.transport, kioskId: KIOSK })).toMatchObject({
      sent: 0,
    });
    expect(server.pages).toHaveLength(2);
  });

  it('starts again from what the server says it holds', async () => {
    const key = await generateDeviceKey();
    const trail = createMemoryAuditLog({ key: async () => key });
    for (let i = 0; i < 5; i++) await trail.append('synced', null, { ids: [`app-${i}`] });
    const server = fakeServer();
    await trail.setAcknowledged(KIOSK, 3);
    // The server holds nothing: it answers 0 to the page from 4, then takes the whole chain.
    const report = await uploadAudit({ trail, transport: server.transport, kioskId: KIOSK });
    expect(report.error).toBeNull();
    expect(await trail.acknowledged(KIOSK)).toBe(5);
  });

  it('reports a refused chain without moving the acknowledgement', async () => {
    const key = await generateDeviceKey();
    const trail = createMemoryAuditLog({ key: async () => key });
    await trail.append('captured', 'app-1');
    const server = fakeServer();
    server.setHead(0, 'f'.repeat(64));
    const report = await uploadAudit({ trail, transport: server.transport, kioskId: KIOSK });
    expect(report.error).toBe('audit: server answered 409 (audit-chain-break)');
    expect(await trail.acknowledged(KIOSK)).toBe(0);
  });
});
