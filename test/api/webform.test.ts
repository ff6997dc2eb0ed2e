import net from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createAccessPoint } from '../../src/server/channels/access-points.js';
import { verifyPassword } from '../../src/server/auth/passwords.js';
import { WEBFORM_LIMITS } from '../../src/server/channels/webform/webform.limits.js';
import { issueFormToken, type TokenPurpose } from '../../src/server/channels/webform/webform.secrets.js';
import { ApiClient } from '../helpers/client.js';
import { startTestServer, type TestHotline, type TestServer } from '../helpers/server.js';

let server: TestServer;
let other: TestHotline;
let advocateClient: ApiClient;

// Small real files: a 1x1 PNG, the start of a JPEG, a PDF, and things that must be refused.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const ZIP = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]), Buffer.alloc(64, 0)]);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90), Buffer.from([0, 1, 2, 3])]);

beforeAll(async () => {
  // Every request of this file comes from 127.0.0.1: the per-address limits are raised here and tested on their own.
  WEBFORM_LIMITS.tipsPerHour = 10_000;
  WEBFORM_LIMITS.followUpsPer15Min = 10_000;
  WEBFORM_LIMITS.postsPerMinute = 10_000;
  server = await startTestServer();
  await createAccessPoint(server.db, server.ctx, server.hotline.id, { channel: 'webform', name: 'Web tip form', address: server.hotline.slug, settings: {} });
  other = await server.addHotline(`o${server.hotline.slug}`);
  await createAccessPoint(server.db, server.ctx, other.id, { channel: 'webform', name: 'Web tip form', address: other.slug, settings: {} });
  advocateClient = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['advocate'] }));
});
afterAll(() => server?.close());

/** A form token as the page would have issued it some seconds ago (the minimum fill time has passed). */
const tokenFor = (hotlineId = server.hotline.id, purpose: TokenPurpose = 'tip', ageMs = 10_000) => issueFormToken(server.ctx.keys, hotlineId, purpose, Date.now() - ageMs);

interface TipFields {
  [name: string]: string | undefined;
}

async function tipForm(fields: TipFields, files: { name: string; data: Buffer; type?: string }[] = [], token?: string) {
  const form = new FormData();
  form.append('t', token ?? (await tokenFor()));
  form.append('lang', 'en');
  form.append('website', '');
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) form.append(name, value);
  for (const file of files) form.append('files', new Blob([new Uint8Array(file.data)], { type: file.type ?? 'application/octet-stream' }), file.name);
  return form;
}

async function post(path: string, body: FormData | URLSearchParams | string, headers: Record<string, string> = { accept: 'application/json' }) {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', body, headers });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json, headers: response.headers };
}

const count = async (table: 'contact' | 'contact_message' | 'attachment' | 'contact_thread') =>
  Number((await server.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

describe('the public tip page', () => {
  it('serves the form without sign-in, in the language the browser asks for, never cached and without referrer', async () => {
    const response = await fetch(`${server.url}/tip/${server.hotline.slug}`, { headers: { 'accept-language': 'es-MX,es;q=0.9,en;q=0.5' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await response.text();
    expect(html).toContain('<html lang="es">');
    expect(html).toContain('¿Qué está pasando?');
    expect(html).toMatch(/<label for="what">/);
    expect(html).toMatch(/name="t" value="v1\./);
    expect(html).not.toMatch(/<script>(?!<\/script>)/); // no inline script: only the external file
    expect(html).toContain('<script src="/webform/assets/webform.js" defer></script>');
    const fr = await (await fetch(`${server.url}/tip/${server.hotline.slug}/fr`)).text();
    expect(fr).toContain('<html lang="fr">');
    expect(fr).toContain('Sortie rapide');
    const js = await fetch(`${server.url}/webform/assets/webform.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('javascript');
  });

  it('answers an unknown slug, an inactive form and an unknown language with a 404 page in the three languages', async () => {
    for (const path of ['/tip/no-such-hotline', '/tip/no-such-hotline/es', `/tip/${server.hotline.slug}/de`, '/tip/..%2F..%2Fetc', `/tip/${'x'.repeat(90)}`, '/tip/no-such-hotline/follow-up']) {
      const response = await fetch(`${server.url}${path}`);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
      const html = await response.text();
      expect(html).toContain('This page is not available');
      expect(html).toContain('Esta página no está disponible');
      expect(html).toContain('Cette page n’est pas disponible');
    }
    const closed = await server.addHotline(`c${server.hotline.slug}`);
    const ap = await createAccessPoint(server.db, server.ctx, closed.id, { channel: 'webform', name: 'Closed form', address: closed.slug, settings: {} });
    await server.db.updateTable('access_point').set({ is_active: false }).where('id', '=', ap.id).execute();
    expect((await fetch(`${server.url}/tip/${closed.slug}/en`)).status).toBe(404);
    expect((await post(`/tip/${closed.slug}`, await tipForm({ what: 'x' }, [], await tokenFor(closed.id)))).status).toBe(404);
  });
});

describe('sending a tip', () => {
  it('stores a tip with attachments as a waiting crisis contact, everything personal encrypted, and shows a code and passphrase', async () => {
    const secretText = 'Trabajadores encerrados en el taller de la calle Olmo';
    const noteText = 'Matrícula del camión: ZX-4471-QP\n';
    const response = await post(
      `/tip/${server.hotline.slug}`,
      await tipForm(
        { what: secretText, where: 'Valencia, barrio del Carmen', when: 'todas las noches', danger: 'yes', minor: 'yes', phone: '+34 600 111 222', email: 'testigo@example.org', language: 'es' },
        [{ name: 'foto.png', data: PNG, type: 'image/png' }, { name: 'nota.txt', data: Buffer.from(noteText), type: 'text/plain' }, { name: 'doc.pdf', data: PDF, type: 'application/pdf' }],
      ),
    );
    expect(response.status).toBe(201);
    expect(response.json.reference).toMatch(/^TIP-[2-9A-HJKMNP-TW-Z]{4}-[2-9A-HJKMNP-TW-Z]{4}$/);
    expect(response.json.passphrase).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    expect(response.headers.get('cache-control')).toBe('no-store');

    const thread = await server.db.selectFrom('contact_thread').selectAll().where('follow_up_code', '=', response.json.reference).executeTakeFirstOrThrow();
    expect(thread.hotline_id).toBe(server.hotline.id);
    expect(thread.channel).toBe('webform');
    expect(thread.follow_up_secret_hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(thread.follow_up_secret_hash!, response.json.passphrase)).toBe(true);
    const contact = await server.db.selectFrom('contact').selectAll().where('thread_id', '=', thread.id).executeTakeFirstOrThrow();
    expect(contact).toMatchObject({ channel: 'webform', status: 'waiting', request_type: 'crisis', priority: 0, language: 'es' });
    expect(contact.flags).toEqual({ imminent_danger: true, minor: true });
    const message = await server.db.selectFrom('contact_message').selectAll().where('contact_id', '=', contact.id).executeTakeFirstOrThrow();
    for (const plain of ['encerrados', '600 111', 'testigo@', 'Carmen']) expect(message.body!.toString('latin1')).not.toContain(plain);
    const body = await server.ctx.keys.decrypt(server.hotline.id, 'contact_message.body', message.body!);
    expect(body).toContain(secretText);
    expect(body).toContain('+34 600 111 222');
    expect(body).toContain('foto.png');

    const attachments = await server.db.selectFrom('attachment').selectAll().where('contact_id', '=', contact.id).orderBy('content_type').execute();
    expect(attachments.map((a) => a.content_type)).toEqual(['application/pdf', 'image/png', 'text/plain']);
    const text = attachments.find((a) => a.content_type === 'text/plain')!;
    expect(text.data.toString('latin1')).not.toContain('ZX-4471');
    expect(text.filename.toString('latin1')).not.toContain('nota');
    expect((await server.ctx.keys.decryptBytes(server.hotline.id, 'attachment.data', text.data)).toString()).toBe(noteText);
    expect(await server.ctx.keys.decrypt(server.hotline.id, 'attachment.filename', text.filename)).toBe('nota.txt');
    const { createHash } = await import('node:crypto');
    expect(text.sha256).toBe(createHash('sha256').update(noteText).digest('hex'));
    expect(text.message_id).toBe(message.id);

    const queue = await advocateClient.get('/api/queue');
    expect(queue.body.items.some((i: { id: string; channel: string }) => i.id === contact.id && i.channel === 'webform')).toBe(true);
    const audit = await server.db.selectFrom('audit_log').select(['action', 'actor_label']).where('hotline_id', '=', server.hotline.id).where('actor_label', '=', 'webform').execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['contact.create', 'attachment.create']));
  });

  it('works as a plain HTML form post (no JavaScript): the answer is a page with the reference and the passphrase', async () => {
    const response = await post(`/tip/${server.hotline.slug}`, await tipForm({ what: 'A plain form post', danger: 'no', minor: 'unknown' }), { accept: 'text/html' });
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toContain('text/html');
    const code = response.text.match(/id="reference-code">(TIP-[A-Z0-9-]+)</)?.[1];
    const passphrase = response.text.match(/id="passphrase">([a-z0-9-]+)</)?.[1];
    expect(code).toBeTruthy();
    expect(passphrase).toBeTruthy();
    const contact = await server.db.selectFrom('contact as c').innerJoin('contact_thread as t', 't.id', 'c.thread_id').select(['c.request_type', 'c.flags', 'c.priority']).where('t.follow_up_code', '=', code!).executeTakeFirstOrThrow();
    expect(contact).toMatchObject({ request_type: 'tip', flags: {}, priority: 50 });
  });

  it('accepts a form-encoded post without files', async () => {
    const body = new URLSearchParams({ t: await tokenFor(), lang: 'fr', website: '', what: 'Signalement sans fichier', danger: 'unknown', minor: 'no' });
    const response = await post(`/tip/${server.hotline.slug}`, body);
    expect(response.status).toBe(201);
  });

  it('refuses an empty description with 400, keeps what was typed, and stores nothing', async () => {
    const before = await count('contact');
    const response = await post(`/tip/${server.hotline.slug}`, await tipForm({ what: '   ', where: 'Lyon, quartier de la Guillotière' }), { accept: 'text/html' });
    expect(response.status).toBe(400);
    expect(response.text).toContain('Please describe what is happening.');
    expect(response.text).toContain('value="Lyon, quartier de la Guillotière"');
    expect(response.text).toContain('aria-invalid="true"');
    expect(await count('contact')).toBe(before);
  });

  it('refuses a bad email or phone with 400 naming the field', async () => {
    const bad = await post(`/tip/${server.hotline.slug}`, await tipForm({ what: 'x', email: 'not-an-email', phone: 'call me' }));
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toContain('email address does not look right');
    expect(bad.json.error.message).toContain('phone number does not look right');
  });
});

describe('attachments: size and type', () => {
  it('refuses a file over 5 MB with 413 and a clear message, storing nothing', async () => {
    const before = await count('contact');
    const big = Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024, 1)]);
    const response = await post(`/tip/${server.hotline.slug}`, await tipForm({ what: 'big file' }, [{ name: 'big.png', data: big, type: 'image/png' }]));
    expect(response.status).toBe(413);
    expect(response.json.error.code).toBe('payload_too_large');
    expect(response.json.error.message).toContain('larger than 5 MB');
    expect(await count('contact')).toBe(before);
  });

  it('refuses a fourth file with 413', async () => {
    const files = [1, 2, 3, 4].map((i) => ({ name: `p${i}.png`, data: PNG, type: 'image/png' }));
    const response = await post(`/tip/${server.hotline.slug}`, await tipForm({ what: 'four files' }, files));
    expect(response.status).toBe(413);
    expect(response.json.error.message).toContain('at most 3 files');
  });

  it('decides the type by the bytes: an executable or an archive named .png is refused with 415', async () => {
    const before = await count('attachment');
    for (const [name, data] of [['photo.png', EXE], ['scan.pdf', ZIP], ['notes.txt', Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe])]] as const) {
      const response = await post(`/tip/${server.hotline.slug}`, await tipForm({ what: 'typed by bytes' }, [{ name, data, type: 'image/png' }]));
      expect({ name, status: response.status }).toEqual({ name, status: 415 });
      expect(response.json.error.code).toBe('unsupported_media_type');
      expect(response.json.error.message).toContain(name);
    }
    expect(await count('attachment')).toBe(before);
  });

  it('refuses an empty named file with 400', async () => {
    const response = await post(`/tip/${server.hotline.slug}`, await tipForm({ what: 'empty file' }, [{ name: 'empty.png', data: Buffer.alloc(0), type: 'image/png' }]));
    expect(response.status).toBe(400);
    expect(response.json.error.message).toContain('empty.png');
  });
});

describe('spam resistance', () => {
  it('refuses a filled honeypot with a non-revealing message and stores nothing', async () => {
    const before = await count('contact');
    const form = await tipForm({ what: 'buy cheap watches' });
    form.set('website', 'http://spam.example');
    const response = await post(`/tip/${server.hotline.slug}`, form);
    expect(response.status).toBe(400);
    expect(response.json.error.message).toContain('We could not accept this form');
    expect(response.json.error.message).not.toMatch(/honeypot|website|field/i);
    expect(response.json.error.token).toMatch(/^v1\./);
    expect(await count('contact')).toBe(before);
  });

  it('refuses a form sent faster than a person can, and one kept open for hours, saying what to do', async () => {
    const before = await count('contact');
    const page = await (await fetch(`${server.url}/tip/${server.hotline.slug}/en`)).text();
    const fresh = page.match(/name="t" value="([^"]+)"/)![1];
    const tooFast = await post(`/tip/${server.hotline.slug}`, await tipForm({ what: 'instant bot' }, [], fresh), { accept: 'text/html' });
    expect(tooFast.status).toBe(400);
    expect(tooFast.text).toContain('sent very quickly');
    expect(tooFast.text).toContain('instant bot'); // the text is kept for the person to send again
    const newToken = tooFast.text.match(/name="t" value="([^"]+)"/)![1];
    expect(newToken).not.toBe(fresh);
    const expired = await post(`/tip/${server.hotline.slug}`, await tipForm({ what: 'old page' }, [], await tokenFor(server.hotline.id, 'tip', 3 * 3600_000)));
    expect(expired.status).toBe(400);
    expect(expired.json.error.message).toContain('expires after two hours');
    expect(await count('contact')).toBe(before);
  });

  it('refuses a forged, tampered or foreign token like a honeypot', async () => {
    const good = await tokenFor();
    const tampered = good.slice(0, -2) + (good.endsWith('AA') ? 'BB' : 'AA');
    for (const token of ['', 'v1.abc.def.ghi', tampered, await tokenFor(other.id), await tokenFor(server.hotline.id, 'follow-up')]) {
      const response = await post(`/tip/${server.hotline.slug}`, await tipForm({ what: 'forged' }, [], token));
      expect(response.status).toBe(400);
      expect(response.json.error.message).toContain('We could not accept this form');
    }
  });

  it('limits tips per client address, telling the person to wait', async () => {
    const url = `/tip/${server.hotline.slug}`;
    const saved = WEBFORM_LIMITS.tipsPerHour;
    WEBFORM_LIMITS.tipsPerHour = 20;
    onTestFinished(() => {
      WEBFORM_LIMITS.tipsPerHour = saved;
    });
    const statuses: number[] = [];
    for (let i = 0; i < WEBFORM_LIMITS.tipsPerHour + 1; i++) {
      const response = await server.app.inject({ method: 'POST', url, remoteAddress: '198.51.100.77', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, payload: new URLSearchParams({ t: 'x', what: 'rate' }).toString() });
      statuses.push(response.statusCode);
    }
    expect(statuses.slice(0, -1).every((s) => s === 400)).toBe(true);
    const last = await server.app.inject({ method: 'POST', url, remoteAddress: '198.51.100.77', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'what=again' });
    expect(last.statusCode).toBe(429);
    expect(last.body).toContain('Many forms were sent from your connection');
    expect(last.body).toContain('>again</textarea>');
    // Another address is not affected.
    const elsewhere = await server.app.inject({ method: 'POST', url, remoteAddress: '198.51.100.78', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'what=x' });
    expect(elsewhere.statusCode).toBe(400);
  });
});

describe('retries and the form token', () => {
  it('stores a retried post once and hands out a new passphrase for the same reference', async () => {
    const token = await tokenFor();
    const fields = { what: 'Retry me: the response was lost', danger: 'no' };
    const first = await post(`/tip/${server.hotline.slug}`, await tipForm(fields, [{ name: 'a.png', data: PNG }], token));
    const second = await post(`/tip/${server.hotline.slug}`, await tipForm(fields, [{ name: 'a.png', data: PNG }], token));
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.json.reference).toBe(first.json.reference);
    expect(second.json.retried).toBe(true);
    expect(second.json.passphrase).not.toBe(first.json.passphrase);
    const thread = await server.db.selectFrom('contact_thread').select(['id', 'follow_up_secret_hash']).where('follow_up_code', '=', first.json.reference).executeTakeFirstOrThrow();
    expect(await verifyPassword(thread.follow_up_secret_hash!, second.json.passphrase)).toBe(true);
    expect(await verifyPassword(thread.follow_up_secret_hash!, first.json.passphrase)).toBe(false);
    const messages = await server.db.selectFrom('contact_message').select('id').where('thread_id', '=', thread.id).execute();
    expect(messages).toHaveLength(1);
    const files = await server.db.selectFrom('attachment').select('id').where('message_id', '=', messages[0].id).execute();
    expect(files).toHaveLength(1);
  });

  it('refuses the same token with another text (409), keeping the text to send as a new report', async () => {
    const token = await tokenFor();
    expect((await post(`/tip/${server.hotline.slug}`, await tipForm({ what: 'first text' }, [], token))).status).toBe(201);
    const reused = await post(`/tip/${server.hotline.slug}`, await tipForm({ what: 'a different text' }, [], token), { accept: 'text/html' });
    expect(reused.status).toBe(409);
    expect(reused.text).toContain('a different text');
    expect(reused.text).toContain('already used');
  });
});

describe('follow-up', () => {
  async function sendTip(what: string, hotline: { id: string; slug: string } = server.hotline) {
    const response = await post(`/tip/${hotline.slug}`, await tipForm({ what }, [], await tokenFor(hotline.id)));
    expect(response.status).toBe(201);
    return response.json as { reference: string; passphrase: string };
  }

  async function followUp(fields: TipFields, files: { name: string; data: Buffer }[] = [], hotline: { id: string; slug: string } = server.hotline, headers?: Record<string, string>) {
    const form = new FormData();
    form.append('t', await tokenFor(hotline.id, 'follow-up'));
    form.append('lang', 'en');
    form.append('website', '');
    for (const [name, value] of Object.entries(fields)) if (value !== undefined) form.append(name, value);
    for (const file of files) form.append('files', new Blob([new Uint8Array(file.data)]), file.name);
    return post(`/tip/${hotline.slug}/follow-up`, form, headers);
  }

  it('adds information to the same thread with the right passphrase, and never shows the earlier report', async () => {
    const tip = await sendTip('Original secret report about the farm');
    const response = await followUp({ code: tip.reference.toLowerCase().replace(/-/g, ' '), passphrase: tip.passphrase.toUpperCase(), text: 'They moved the workers on Friday' }, [{ name: 'map.pdf', data: PDF }], server.hotline, { accept: 'text/html' });
    expect(response.status).toBe(201);
    expect(response.text).toContain('Your information was added');
    expect(response.text).not.toContain('Original secret report');
    expect(response.text).not.toContain(tip.reference);
    const thread = await server.db.selectFrom('contact_thread').select('id').where('follow_up_code', '=', tip.reference).executeTakeFirstOrThrow();
    const messages = await server.db.selectFrom('contact_message').select(['contact_id', 'body']).where('thread_id', '=', thread.id).orderBy('created_at').execute();
    expect(messages).toHaveLength(2);
    expect(messages[1].contact_id).toBe(messages[0].contact_id); // the contact was still open: same contact
    expect(await server.ctx.keys.decrypt(server.hotline.id, 'contact_message.body', messages[1].body!)).toContain('They moved the workers on Friday');
    expect(await server.db.selectFrom('attachment').select('content_type').where('contact_id', '=', messages[1].contact_id).execute()).toEqual([{ content_type: 'application/pdf' }]);
    const page = await (await fetch(`${server.url}/tip/${server.hotline.slug}/follow-up/en`)).text();
    expect(page).not.toContain('Original secret report');
  });

  it('re-opens a waiting contact in the same thread when the earlier one was closed', async () => {
    const tip = await sendTip('Report that will be closed');
    const thread = await server.db.selectFrom('contact_thread').select('id').where('follow_up_code', '=', tip.reference).executeTakeFirstOrThrow();
    await server.db.updateTable('contact').set({ status: 'closed', ended_at: new Date() }).where('thread_id', '=', thread.id).execute();
    expect((await followUp({ code: tip.reference, passphrase: tip.passphrase, text: 'More news', danger: 'yes' })).status).toBe(201);
    const contacts = await server.db.selectFrom('contact').select(['status', 'flags', 'request_type']).where('thread_id', '=', thread.id).orderBy('received_at').execute();
    expect(contacts.map((c) => c.status)).toEqual(['closed', 'waiting']);
    expect(contacts[1]).toMatchObject({ request_type: 'crisis', flags: { imminent_danger: true } });
  });

  it('refuses a wrong passphrase and an unknown code with the same words, then locks the code after five failures', async () => {
    const tip = await sendTip('Report to guess at');
    const wrong = await followUp({ code: tip.reference, passphrase: 'aaaa-bbbb-cccc-dddd', text: 'guess' }, [], server.hotline, { accept: 'text/html' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('The reference code or the passphrase is not right');
    expect(wrong.text).not.toContain('aaaa-bbbb');
    expect(wrong.text).toContain('>guess</textarea>'); // the added text is kept, the passphrase is not
    const unknown = await followUp({ code: 'TIP-2222-3333', passphrase: tip.passphrase, text: 'guess' });
    expect(unknown.status).toBe(401);
    expect(unknown.json.error.message).toBe('The reference code or the passphrase is not right. Please check them and try again.');
    for (let i = 0; i < 3; i++) expect((await followUp({ code: tip.reference, passphrase: `wrong-${i}`, text: 'guess' })).status).toBe(401);
    const locking = await followUp({ code: tip.reference, passphrase: 'still-wrong', text: 'guess' });
    expect(locking.status).toBe(429);
    const locked = await followUp({ code: tip.reference, passphrase: tip.passphrase, text: 'right passphrase, too late' });
    expect(locked.status).toBe(429);
    expect(locked.json.error.message).toContain('wait 15 minutes');
    const thread = await server.db.selectFrom('contact_thread').select('id').where('follow_up_code', '=', tip.reference).executeTakeFirstOrThrow();
    expect(await server.db.selectFrom('contact_message').select('id').where('thread_id', '=', thread.id).execute()).toHaveLength(1);
    const audit = await server.db.selectFrom('audit_log').select('action').where('record_id', '=', thread.id).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['webform.follow_up_failed', 'webform.follow_up_locked']));
    // Unlocked after the lock time.
    await server.db.updateTable('webform_follow_up_attempt').set({ locked_until: new Date(Date.now() - 1000) }).where('code', '=', tip.reference).execute();
    expect((await followUp({ code: tip.reference, passphrase: tip.passphrase, text: 'after the lock' })).status).toBe(201);
  });

  it('asks for something to add and for both code and passphrase', async () => {
    const tip = await sendTip('Report for empty follow-up');
    const empty = await followUp({ code: tip.reference, passphrase: tip.passphrase, text: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.json.error.message).toContain('write what you would like to add');
    expect((await followUp({ code: '', passphrase: '', text: 'x' })).status).toBe(400);
  });

  it('keeps hotlines apart: a reference of one hotline is unknown on another', async () => {
    const tip = await sendTip('Report to hotline A');
    const onOther = await followUp({ code: tip.reference, passphrase: tip.passphrase, text: 'cross-tenant' }, [], other);
    expect(onOther.status).toBe(401);
    const otherTip = await sendTip('Report to hotline B', other);
    const thread = await server.db.selectFrom('contact_thread').select('hotline_id').where('follow_up_code', '=', otherTip.reference).executeTakeFirstOrThrow();
    expect(thread.hotline_id).toBe(other.id);
    const queue = await advocateClient.get('/api/queue');
    const ids = (await server.db.selectFrom('contact').select('id').where('hotline_id', '=', other.id).execute()).map((r) => r.id);
    expect(queue.body.items.some((i: { id: string }) => ids.includes(i.id))).toBe(false);
  });
});

describe('logs', () => {
  it('never contain what a tipster wrote, their contact details, file names or passphrases, even at trace level', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
    // The server's own logger, turned to trace and pointed at memory: request loggers are made from it per request.
    const root = server.ctx.log as any;
    const [savedStream, savedLevel] = [root[pino.symbols.streamSym], root.level];
    root[pino.symbols.streamSym] = sink;
    root.level = 'trace';
    try {
      const tip = await post(`/tip/${server.hotline.slug}`, await tipForm({ what: 'Zorionak secret narrative', where: 'Calle Falsa 123', phone: '+1 438 555 0177', email: 'hidden.person@example.org' }, [{ name: 'secret-name.png', data: PNG }]));
      expect(tip.status).toBe(201);
      const form = new FormData();
      form.append('t', await tokenFor(server.hotline.id, 'follow-up'));
      for (const [k, v] of Object.entries({ code: tip.json.reference, passphrase: 'wxyz-wxyz-wxyz-wxyz', text: 'Follow-up secret words' })) form.append(k, v);
      expect((await post(`/tip/${server.hotline.slug}/follow-up`, form)).status).toBe(401);
    } finally {
      root[pino.symbols.streamSym] = savedStream;
      root.level = savedLevel;
    }
    const all = lines.join('\n');
    expect(all).toContain('/follow-up'); // the requests were logged…
    for (const secret of ['Zorionak', 'Calle Falsa', '555 0177', 'hidden.person', 'secret-name', 'wxyz-wxyz', 'Follow-up secret']) expect(all).not.toContain(secret);
  });
});

describe('malformed submissions', () => {
  const CRLF = '\r\n';
  const arbitraryPart = fc.record({
    name: fc.oneof(fc.constantFrom('t', 'what', 'where', 'when', 'danger', 'minor', 'phone', 'email', 'language', 'website', 'lang', 'files', 'code', 'passphrase', 'text', '__proto__', 'constructor'), fc.string({ maxLength: 40 })),
    filename: fc.option(fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('../../etc/passwd', 'a\u0000b.png', 'photo.png')), { nil: undefined }),
    value: fc.oneof(fc.string({ maxLength: 200 }), fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a).toString('latin1')), fc.constantFrom('x'.repeat(70_000), '%PDF-1.4', '\u0000\u0001')),
  });

  const arbitraryBody = fc.oneof(
    // A multipart body, possibly torn, with a boundary that may not match the header.
    fc.record({ kind: fc.constant('multipart' as const), boundary: fc.stringMatching(/^[A-Za-z0-9'()+_,./:=?-]{1,70}$/), headerBoundary: fc.option(fc.string({ maxLength: 80 }), { nil: undefined }), parts: fc.array(arbitraryPart, { maxLength: 8 }), cut: fc.option(fc.nat(), { nil: undefined }), tail: fc.boolean() }),
    // Anything at all under a random content type.
    fc.record({ kind: fc.constant('raw' as const), contentType: fc.constantFrom('multipart/form-data', 'multipart/form-data; boundary=', 'application/x-www-form-urlencoded', 'application/json', 'text/plain', 'application/octet-stream', 'multipart/mixed; boundary=x', ''), payload: fc.oneof(fc.string({ maxLength: 500 }), fc.uint8Array({ maxLength: 2000 }).map((a) => Buffer.from(a).toString('latin1')), fc.constantFrom('{"what":"json"}', '[]', 'what=%E0%A4%A', 'a=1&a=2&a[b]=3')) }),
  );

  function build(body: fc.Arbitrary<any> extends fc.Arbitrary<infer T> ? T : never) {
    if (body.kind === 'raw') return { contentType: body.contentType, payload: Buffer.from(body.payload, 'latin1') };
    let text = '';
    for (const part of body.parts) {
      text += `--${body.boundary}${CRLF}Content-Disposition: form-data; name="${part.name}"${part.filename !== undefined ? `; filename="${part.filename}"` : ''}${CRLF}`;
      if (part.filename !== undefined) text += `Content-Type: image/png${CRLF}`;
      text += `${CRLF}${part.value}${CRLF}`;
    }
    if (body.tail) text += `--${body.boundary}--${CRLF}`;
    let payload = Buffer.from(text, 'latin1');
    if (body.cut !== undefined && payload.length > 0) payload = payload.subarray(0, body.cut % payload.length);
    return { contentType: `multipart/form-data; boundary=${body.headerBoundary ?? body.boundary}`, payload };
  }

  it('answers thousands of malformed submissions with a 4xx, never a 5xx, and stays up', async () => {
    let n = 0;
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(arbitraryBody, fc.constantFrom('', '/follow-up'), async (body, path) => {
        const { contentType, payload } = build(body as any);
        n++;
        const response = await server.app.inject({
          method: 'POST', url: `/tip/${server.hotline.slug}${path}`, payload, remoteAddress: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
          headers: { ...(contentType && { 'content-type': contentType }), accept: n % 2 ? 'application/json' : 'text/html' },
        });
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        expect(response.statusCode, `body ${JSON.stringify(body).slice(0, 300)}`).toBeGreaterThanOrEqual(400);
        expect(response.statusCode).toBeLessThan(500);
      }),
      { numRuns: 3000 },
    );
    expect(statuses.size, `several kinds of refusal were reached: ${JSON.stringify([...statuses])}`).toBeGreaterThan(1);
    expect([...statuses.keys()].every((s) => s >= 400 && s < 500)).toBe(true);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  }, 180_000);

  it('answers random field values under a valid token with 201 or a 4xx, never a 5xx', async () => {
    const token = await tokenFor();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({ what: fc.string({ maxLength: 12_000 }), where: fc.string({ maxLength: 400 }), when: fc.string({ maxLength: 300 }), danger: fc.string({ maxLength: 10 }), minor: fc.constantFrom('yes', 'no', 'unknown', ''), phone: fc.string({ maxLength: 50 }), email: fc.string({ maxLength: 300 }), language: fc.string({ maxLength: 8 }), lang: fc.string({ maxLength: 4 }) }, { requiredKeys: [] }),
        async (fields) => {
          n++;
          const form = new URLSearchParams({ t: token, website: '' });
          for (const [k, v] of Object.entries(fields)) form.append(k, v as string);
          // Only the first submission of this token is stored; later ones are 409 unless they repeat its text.
          const response = await server.app.inject({ method: 'POST', url: `/tip/${server.hotline.slug}`, payload: form.toString(), remoteAddress: `172.16.${(n >> 8) & 255}.${n & 255}`, headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' } });
          expect(response.statusCode === 201 || (response.statusCode >= 400 && response.statusCode < 500)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  }, 120_000);

  it('survives clients that tear the connection in the middle of an upload', async () => {
    const { port } = new URL(server.url);
    for (let i = 0; i < 20; i++) {
      await new Promise<void>((resolve) => {
        const socket = net.connect(Number(port), '127.0.0.1', () => {
          socket.write(`POST /tip/${server.hotline.slug} HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=zz\r\nContent-Length: 100000\r\n\r\n--zz\r\nContent-Disposition: form-data; name="files"; filename="a.png"\r\n\r\n`);
          socket.write(PNG);
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, 20);
        });
        socket.on('error', () => resolve());
      });
    }
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/tip/${server.hotline.slug}/en`)).status).toBe(200);
  });
});
