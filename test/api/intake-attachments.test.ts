import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessPoint } from '../../src/server/channels/access-points.js';
import { WEBFORM_LIMITS } from '../../src/server/channels/webform/webform.limits.js';
import { issueFormToken } from '../../src/server/channels/webform/webform.secrets.js';
import { ApiClient } from '../helpers/client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** Staff download of the files that came with a contact (web tip uploads here), listed and downloaded, each audited. */
let server: TestServer;
let advocate: ApiClient;
let outsider: ApiClient;
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

beforeAll(async () => {
  WEBFORM_LIMITS.tipsPerHour = 10_000;
  server = await startTestServer();
  await createAccessPoint(server.db, server.ctx, server.hotline.id, { channel: 'webform', name: 'Web tip form', address: server.hotline.slug, settings: {} });
  advocate = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['advocate'] }));
  const other = await server.addHotline(`x${server.hotline.slug}`);
  outsider = await new ApiClient(server.app).signIn(await other.createUser({ roles: ['supervisor'] }));
});
afterAll(() => server?.close());

async function tipWithFiles(what: string, files: { name: string; data: Buffer }[]) {
  const form = new FormData();
  form.append('t', await issueFormToken(server.ctx.keys, server.hotline.id, 'tip', Date.now() - 10_000));
  form.append('lang', 'en');
  form.append('website', '');
  form.append('what', what);
  for (const f of files) form.append('files', new Blob([new Uint8Array(f.data)]), f.name);
  const response = await fetch(`${server.url}/tip/${server.hotline.slug}`, { method: 'POST', body: form, headers: { accept: 'application/json' } });
  expect(response.status).toBe(201);
  const contact = await server.db.selectFrom('contact').select('id').where('hotline_id', '=', server.hotline.id).orderBy('received_at', 'desc').limit(1).executeTakeFirstOrThrow();
  return contact.id;
}

describe('attachments of a contact', () => {
  it('lists and downloads a web tip’s files for staff, with the detected type, as a download, audited', async () => {
    const contactId = await tipWithFiles('Photos of the van', [{ name: 'vän photo.png', data: PNG }, { name: 'contract.pdf', data: PDF }]);
    const list = await advocate.get(`/api/contacts/${contactId}/attachments`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { filename: string; contentType: string; size: number }) => [i.filename, i.contentType, i.size])).toEqual([
      ['vän photo.png', 'image/png', PNG.length],
      ['contract.pdf', 'application/pdf', PDF.length],
    ]);
    const png = list.body.items[0];
    const download = await advocate.get(png.url);
    expect(download.status).toBe(200);
    expect(download.raw.rawPayload.equals(PNG)).toBe(true);
    expect(download.headers['content-type']).toBe('image/png');
    expect(download.headers['content-disposition']).toContain("attachment; filename=\"v_n photo.png\"; filename*=UTF-8''v%C3%A4n%20photo.png");
    expect(download.headers['content-security-policy']).toContain('sandbox');
    expect(download.headers['cache-control']).toBe('no-store');
    const audits = await server.db.selectFrom('audit_log').select(['action', 'details']).where('record_id', '=', contactId).where('actor_id', 'is not', null).execute();
    expect(audits.map((a) => a.action).sort()).toEqual(['contact.list_attachments', 'contact.read_attachment']);
    expect(audits.find((a) => a.action === 'contact.read_attachment')!.details).toEqual({ attachmentId: png.id });
    // Stored encrypted: neither the name nor the bytes are in clear.
    const row = await server.db.selectFrom('attachment').select(['filename', 'data']).where('id', '=', png.id).executeTakeFirstOrThrow();
    expect(row.filename.toString('latin1')).not.toContain('photo');
    expect(row.data.includes(PNG.subarray(0, 16))).toBe(false);
  });

  it('names each message’s files in the contact read itself (one audited read), with their download addresses', async () => {
    const contactId = await tipWithFiles('Photo of the flat', [{ name: 'flat.png', data: PNG }]);
    const read = await advocate.get(`/api/contacts/${contactId}`);
    expect(read.status).toBe(200);
    const [message] = read.body.contact.messages;
    expect(message.attachments).toEqual([{ id: expect.any(String), filename: 'flat.png', contentType: 'image/png', size: PNG.length, url: `/api/contacts/${contactId}/attachments/${message.attachments[0].id}` }]);
    expect((await advocate.get(message.attachments[0].url)).raw.rawPayload.equals(PNG)).toBe(true);
    const audits = await server.db.selectFrom('audit_log').select('action').where('record_id', '=', contactId).where('actor_id', 'is not', null).execute();
    expect(audits.map((a) => a.action).sort()).toEqual(['contact.read', 'contact.read_attachment']);
    const plain = await advocate.get(`/api/contacts/${await tipWithFiles('No files here', [])}`);
    expect(plain.body.contact.messages[0].attachments).toEqual([]);
  });

  it('answers 404 for another contact’s file, for another hotline, and for a contact that does not exist', async () => {
    const first = await tipWithFiles('First tip', [{ name: 'a.png', data: PNG }]);
    const second = await tipWithFiles('Second tip, no files', []);
    const file = (await advocate.get(`/api/contacts/${first}/attachments`)).body.items[0];
    expect((await advocate.get(`/api/contacts/${second}/attachments/${file.id}`)).status).toBe(404);
    expect((await advocate.get(`/api/contacts/${second}/attachments`)).body.items).toEqual([]);
    expect((await outsider.get(`/api/contacts/${first}/attachments`)).status).toBe(404);
    expect((await outsider.get(`/api/contacts/${first}/attachments/${file.id}`)).status).toBe(404);
    expect((await advocate.get(`/api/contacts/00000000-0000-4000-8000-000000000000/attachments`)).status).toBe(404);
  });
});
