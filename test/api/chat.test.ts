import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createAccessPoint } from '../../src/server/channels/access-points.js';
import { localTime } from '../../src/server/channels/hours.js';
import { ApiClient } from '../helpers/client.js';
import { addSmsNumber, messageSid, postSms } from '../helpers/intake.js';
import { startTestServer, type TestServer, type TestUser } from '../helpers/server.js';

// Web chat, both sides, with real WebSocket clients against two Catalyst servers sharing one database.

const PARTNER = 'https://partner.example.org';
type Frame = Record<string, any>;

/** A WebSocket client that keeps every frame it receives and waits for the one a test expects. */
class Peer {
  frames: Frame[] = [];
  closed: { code: number; reason: string } | null = null;
  private waiters: (() => void)[] = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)));
      this.waiters.forEach((w) => w());
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: String(reason) };
      this.waiters.forEach((w) => w());
    });
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<Peer> {
    const ws = new WebSocket(url, { headers });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new Peer(ws)));
      ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })));
      ws.once('error', reject);
    });
  }

  send(frame: unknown) {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The first frame (from `from` on) that matches; consumed frames stay in `frames` for later assertions. */
  next(match: (f: Frame) => boolean, timeout = 5000): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.frames.find(match);
        if (hit) {
          this.frames.splice(this.frames.indexOf(hit), 1);
          cleanup();
          resolve(hit);
        } else if (this.closed) {
          cleanup();
          reject(new Error(`socket closed (${this.closed.code}) while waiting; frames: ${JSON.stringify(this.frames).slice(0, 500)}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out; frames: ${JSON.stringify(this.frames).slice(0, 500)}`));
      }, timeout);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
      };
      this.waiters.push(check);
      check();
    });
  }

  type(type: string, extra: (f: Frame) => boolean = () => true, timeout?: number) {
    return this.next((f) => f.type === type && extra(f), timeout);
  }

  close() {
    this.ws.close();
    return new Promise<void>((resolve) => (this.closed ? resolve() : this.ws.once('close', () => resolve())));
  }
}

let server: TestServer;
let sibling: { url: string };
let advocate: TestUser;
let advocateClient: ApiClient;
let supervisorClient: ApiClient;

const wsUrl = (base: string, path: string) => base.replace(/^http/, 'ws') + path;
const visitorUrl = (base: string, key = server.hotline.slug) => wsUrl(base, `/api/chat/visitor?hotline=${encodeURIComponent(key)}`);
const cid = () => randomBytes(8).toString('hex');

async function visitor(base = server.url, origin = PARTNER) {
  return Peer.open(visitorUrl(base), { origin });
}

async function startChat(base = server.url, extra: Frame = {}) {
  const peer = await visitor(base);
  peer.send({ type: 'start', language: 'es', safeToTalk: 'yes', ...extra });
  const session = await peer.type('session');
  return { peer, session };
}

async function agent(base: string, client: ApiClient) {
  const peer = await Peer.open(wsUrl(base, '/api/chat/agent'), { cookie: client.cookie });
  await peer.type('hello');
  return peer;
}

/** A visitor's first message opens a waiting chat contact; the advocate claims it like any queue item. */
async function chatContact(base = server.url, extra: Frame = {}) {
  const { peer, session } = await startChat(base, extra);
  peer.send({ type: 'message', clientId: cid(), body: 'Hola, necesito ayuda' });
  const ack = await peer.type('ack');
  const { contact_id: contactId } = await server.db.selectFrom('contact_message').select('contact_id').where('id', '=', ack.id).executeTakeFirstOrThrow();
  return { peer, session, contactId, firstMessageId: ack.id as string };
}

beforeAll(async () => {
  server = await startTestServer();
  await createAccessPoint(server.db, server.ctx, server.hotline.id, { channel: 'chat', name: 'Web chat', address: server.hotline.slug, settings: { allowedOrigins: [PARTNER, 'http://127.0.0.1:9/'] } });
  sibling = await server.startSibling();
  advocate = await server.createUser({ roles: ['advocate'] });
  advocateClient = await new ApiClient(server.app).signIn(advocate);
  supervisorClient = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['supervisor'] }));
});
afterAll(() => server?.close());

describe('the widget and its page', () => {
  it('serves the loader to any site and the chat page framable only by the configured origins', async () => {
    const widget = await fetch(`${server.url}/chat/widget.js`);
    expect(widget.status).toBe(200);
    expect(widget.headers.get('content-type')).toContain('javascript');
    expect(widget.headers.get('cross-origin-resource-policy')).toBe('cross-origin');

    const page = await fetch(`${server.url}/chat/${server.hotline.slug}/embed?lang=fr`);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain(`frame-ancestors ${PARTNER} http://127.0.0.1:9`);
    expect(csp).toContain("script-src 'self'");
    expect(page.headers.get('x-frame-options')).toBeNull();
    const html = await page.text();
    expect(html).toContain('<html lang="fr">');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script

    // Every other page still refuses to be framed.
    const other = await fetch(`${server.url}/healthz`);
    expect(other.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(other.headers.get('x-frame-options')).toBe('SAMEORIGIN');

    expect((await fetch(`${server.url}/chat/no-such-hotline/embed`)).status).toBe(404);
    expect((await fetch(`${server.url}/chat/${encodeURIComponent('<script>')}/embed`)).status).toBe(404);
    expect((await fetch(`${server.url}/chat/assets/embed.js`)).status).toBe(200);
    expect((await fetch(`${server.url}/chat/assets/..%2Fpackage.json`)).status).toBe(404);
    for (const name of ['constructor', '__proto__', 'toString', 'widget.js', 'embed.html']) expect((await fetch(`${server.url}/chat/assets/${name}`)).status).toBe(404);
  });
});

describe('the visitor socket', () => {
  it('refuses a wrong or missing Origin (403) and an unconfigured hotline (404), storing nothing', async () => {
    await expect(Peer.open(visitorUrl(server.url), { origin: 'https://evil.example.com' })).rejects.toMatchObject({ status: 403 });
    await expect(Peer.open(visitorUrl(server.url))).rejects.toMatchObject({ status: 403 });
    await expect(Peer.open(visitorUrl(server.url), { origin: 'null' })).rejects.toMatchObject({ status: 403 });
    await expect(Peer.open(visitorUrl(server.url, 'unconfigured'), { origin: PARTNER })).rejects.toMatchObject({ status: 404 });
    await expect(Peer.open(wsUrl(server.url, '/api/chat/visitor'), { origin: PARTNER })).rejects.toMatchObject({ status: 404 });
    const other = await server.addHotline(`chat-off-${randomBytes(2).toString('hex')}`);
    await expect(Peer.open(visitorUrl(server.url, other.slug), { origin: PARTNER })).rejects.toMatchObject({ status: 404 });
    // Catalyst's own page (the iframe) is allowed, as are the configured sites.
    const own = await Peer.open(visitorUrl(server.url), { origin: server.url });
    await own.close();
    expect(await server.db.selectFrom('chat_session').select('id').execute()).toHaveLength(0);
  });

  it('stores the session token hashed and the nickname encrypted, and the message through intake, encrypted', async () => {
    const { peer, session } = await startChat(server.url, { nickname: 'Lupe', ageRange: 'under_18', safeToTalk: 'no' });
    expect(session).toMatchObject({ resumed: false, language: 'es', messages: [] });
    expect(session.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const clientId = cid();
    peer.send({ type: 'message', clientId, body: 'Me quitaron el pasaporte' });
    const ack = await peer.type('ack');
    expect(ack).toMatchObject({ clientId, status: 'delivered' });

    const row = await server.db.selectFrom('chat_session').selectAll().where('id', '=', session.sessionId).executeTakeFirstOrThrow();
    expect(row.token_hash.toString('latin1')).not.toContain(session.token);
    expect(row.token_hash).toHaveLength(32);
    expect(row.nickname!.toString('latin1')).not.toContain('Lupe');
    const message = await server.db.selectFrom('contact_message').selectAll().where('id', '=', ack.id).executeTakeFirstOrThrow();
    expect(message.external_id).toBe(`chat:${session.sessionId}:${clientId}`);
    expect(message.body!.toString('latin1')).not.toContain('pasaporte');
    const contact = await server.db.selectFrom('contact').selectAll().where('id', '=', message.contact_id).executeTakeFirstOrThrow();
    expect(contact).toMatchObject({ channel: 'chat', status: 'waiting', language: 'es', flags: { minor: true } });
    const audit = await server.db.selectFrom('audit_log').select(['action', 'actor_label']).where('record_id', 'in', [session.sessionId, contact.id]).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['chat.start', 'contact.create']));
    await peer.close();
  });

  it('stores a message once per client message id, even sent twice at once over two servers', async () => {
    const { peer, session } = await startChat();
    const clientId = cid();
    peer.send({ type: 'message', clientId, body: 'una vez' });
    const again = await Peer.open(visitorUrl(sibling.url), { origin: PARTNER });
    again.send({ type: 'resume', token: session.token });
    await again.type('session');
    again.send({ type: 'message', clientId, body: 'una vez' });
    peer.send({ type: 'message', clientId, body: 'una vez' });
    const acks = [await peer.type('ack'), await peer.type('ack'), await again.type('ack')];
    expect(new Set(acks.map((a) => a.id)).size).toBe(1);
    const rows = await server.db.selectFrom('contact_message').select('id').where('external_id', '=', `chat:${session.sessionId}:${clientId}`).execute();
    expect(rows).toHaveLength(1);
    await Promise.all([peer.close(), again.close()]);
  });

  it('answers frames before a session, unknown tokens and bad frames with error frames', async () => {
    const peer = await visitor();
    peer.send({ type: 'message', clientId: cid(), body: 'hola' });
    expect(await peer.type('error')).toMatchObject({ code: 'not_found' });
    peer.send({ type: 'resume', token: 'A'.repeat(43) });
    expect(await peer.type('error')).toMatchObject({ code: 'not_found', session: 'expired' });
    peer.send('not json');
    expect(await peer.type('error')).toMatchObject({ code: 'validation_failed' });
    peer.send({ type: 'message', clientId: 'x', body: 'hola' });
    expect(await peer.type('error')).toMatchObject({ code: 'validation_failed' });
    peer.send({ type: 'start', language: 'de' });
    expect(await peer.type('error')).toMatchObject({ code: 'validation_failed' });
    peer.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await peer.type('error')).toMatchObject({ code: 'validation_failed' });
    peer.send({ type: 'ping' });
    await peer.type('pong');
    await peer.close();
  });
});

describe('a conversation across two servers', () => {
  it('carries messages, typing, delivery and read states between a visitor on one server and an advocate on the other', async () => {
    const { peer: visitorPeer, session, contactId, firstMessageId } = await chatContact(server.url, { nickname: 'Lupe', safeToTalk: 'no', ageRange: '18_24' });
    // Not claimed yet: the advocate may not chat.
    const agentPeer = await agent(sibling.url, advocateClient);
    agentPeer.send({ type: 'join', contactId });
    expect(await agentPeer.type('error')).toMatchObject({ code: 'forbidden', contactId });
    expect((await advocateClient.post(`/api/queue/${contactId}/claim`)).status).toBe(200);

    agentPeer.send({ type: 'join', contactId });
    const joined = await agentPeer.type('joined');
    expect(joined).toMatchObject({ contactId, sessionId: session.sessionId, visitor: { language: 'es', nickname: 'Lupe', safeToTalk: 'no', ageRange: '18_24', online: true }, ended: null });
    expect(joined.messages).toEqual([expect.objectContaining({ id: firstMessageId, from: 'visitor', body: 'Hola, necesito ayuda', status: 'delivered' })]);
    await visitorPeer.type('joined');

    // Visitor (server A) -> advocate (server B), live.
    const sentAt = Date.now();
    visitorPeer.send({ type: 'message', clientId: cid(), body: '¿Alguien me lee?' });
    const live = await agentPeer.type('message');
    expect(Date.now() - sentAt).toBeLessThan(1000);
    expect(live).toMatchObject({ contactId, message: { from: 'visitor', body: '¿Alguien me lee?' } });

    // Typing both ways.
    visitorPeer.send({ type: 'typing', on: true });
    expect(await agentPeer.type('typing')).toMatchObject({ contactId, on: true });
    agentPeer.send({ type: 'typing', contactId, on: true });
    expect(await visitorPeer.type('typing')).toMatchObject({ on: true });

    // Advocate (B) -> visitor (A): stored encrypted as an outbound message, audited, delivered, then read.
    const replyId = cid();
    agentPeer.send({ type: 'send', contactId, clientId: replyId, body: 'Sí, estoy aquí. ¿Está a salvo?' });
    const ack = await agentPeer.type('ack');
    expect(ack).toMatchObject({ contactId, clientId: replyId, message: { from: 'advocate', status: 'sent', clientId: replyId, authorId: advocate.id } });
    const received = await visitorPeer.type('message');
    expect(received.message).toMatchObject({ id: ack.message.id, from: 'advocate', body: 'Sí, estoy aquí. ¿Está a salvo?' });
    expect(received.message.authorId).toBeUndefined();
    expect(await agentPeer.type('status', (f) => f.status === 'delivered')).toMatchObject({ contactId, direction: 'outbound', upto: ack.message.id });
    visitorPeer.send({ type: 'read', upto: ack.message.id });
    expect(await agentPeer.type('status', (f) => f.status === 'read')).toMatchObject({ contactId, direction: 'outbound', upto: ack.message.id });
    const stored = await server.db.selectFrom('contact_message').selectAll().where('id', '=', ack.message.id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ direction: 'outbound', author_id: advocate.id, status: 'read', contact_id: contactId });
    expect(stored.body!.toString('latin1')).not.toContain('salvo');

    // The advocate reads the visitor's messages: the visitor sees "read".
    agentPeer.send({ type: 'read', contactId, upto: live.message.id });
    expect(await visitorPeer.type('status')).toMatchObject({ status: 'read', upto: live.message.id });
    const inbound = await server.db.selectFrom('contact_message').select('status').where('contact_id', '=', contactId).where('direction', '=', 'inbound').execute();
    expect(inbound.map((m) => m.status)).toEqual(['read', 'read']);

    const audit = await server.db.selectFrom('audit_log').select(['action', 'details']).where('record_id', '=', contactId).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['contact.create', 'queue.claim', 'contact.read', 'contact.reply']));

    // The advocate reloads: a new socket re-reads the whole conversation from the database.
    await agentPeer.close();
    const reloaded = await agent(server.url, advocateClient);
    reloaded.send({ type: 'join', contactId });
    const again = await reloaded.type('joined');
    expect(again.messages.map((m: Frame) => [m.from, m.body])).toEqual([
      ['visitor', 'Hola, necesito ayuda'], ['visitor', '¿Alguien me lee?'], ['advocate', 'Sí, estoy aquí. ¿Está a salvo?'],
    ]);
    expect(again.messages[2]).toMatchObject({ status: 'read', clientId: replyId });

    // The advocate ends the chat: the visitor is told and cannot write any more.
    reloaded.send({ type: 'end', contactId });
    expect(await visitorPeer.type('ended')).toMatchObject({ by: 'advocate' });
    expect(await reloaded.type('ended')).toMatchObject({ contactId, by: 'advocate' });
    const late = cid();
    visitorPeer.send({ type: 'message', clientId: late, body: 'espere' });
    expect(await visitorPeer.type('error')).toMatchObject({ code: 'conflict', clientId: late });
    await Promise.all([visitorPeer.close(), reloaded.close()]);
  });

  it('resumes a visitor after a disconnect with the same token, on another server, with what was missed', async () => {
    const { peer, session, contactId } = await chatContact();
    expect((await advocateClient.post(`/api/queue/${contactId}/claim`)).status).toBe(200);
    const agentPeer = await agent(server.url, advocateClient);
    agentPeer.send({ type: 'join', contactId });
    await agentPeer.type('joined');

    await peer.close();
    expect(await agentPeer.type('presence')).toMatchObject({ contactId, online: false });
    // Sent while the visitor is away: stored, not yet delivered.
    agentPeer.send({ type: 'send', contactId, clientId: cid(), body: 'Sigo aquí cuando vuelva' });
    const ack = await agentPeer.type('ack');
    expect(ack.message.status).toBe('sent');

    // The visitor's page reloads and reconnects — to the other server — with the token from sessionStorage.
    const back = await visitor(sibling.url);
    back.send({ type: 'resume', token: session.token });
    const resumed = await back.type('session');
    expect(resumed).toMatchObject({ sessionId: session.sessionId, resumed: true, ended: null });
    expect(resumed.token).toBeUndefined();
    expect(resumed.messages.map((m: Frame) => [m.from, m.body])).toEqual([['visitor', 'Hola, necesito ayuda'], ['advocate', 'Sigo aquí cuando vuelva']]);
    expect(resumed.messages[0].clientId).toMatch(/^[0-9a-f]{16}$/);
    expect(await agentPeer.type('presence')).toMatchObject({ online: true });
    expect(await agentPeer.type('status', (f) => f.status === 'delivered')).toMatchObject({ upto: ack.message.id });

    // A message queued offline by the client (same client id sent again after resume) is stored exactly once.
    const queued = cid();
    back.send({ type: 'message', clientId: queued, body: 'escrito sin conexión' });
    back.send({ type: 'message', clientId: queued, body: 'escrito sin conexión' });
    const [a, b] = [await back.type('ack'), await back.type('ack')];
    expect(a.id).toBe(b.id);
    expect((await agentPeer.type('message', (f) => f.message.from === 'visitor')).message.body).toBe('escrito sin conexión');
    await Promise.all([back.close(), agentPeer.close()]);
  });

  it('gives a visitor nothing of another visitor’s chat', async () => {
    const one = await chatContact();
    const two = await chatContact();
    expect((await advocateClient.post(`/api/queue/${one.contactId}/claim`)).status).toBe(200);
    const agentPeer = await agent(sibling.url, advocateClient);
    agentPeer.send({ type: 'join', contactId: one.contactId });
    await agentPeer.type('joined');
    agentPeer.send({ type: 'send', contactId: one.contactId, clientId: cid(), body: 'solo para uno' });
    await one.peer.type('message');
    agentPeer.send({ type: 'typing', contactId: one.contactId, on: true });
    await one.peer.type('typing');
    two.peer.send({ type: 'ping' });
    await two.peer.type('pong');
    expect(two.peer.frames.filter((f) => !['ack', 'session'].includes(f.type))).toEqual([]);
    // The other visitor's session id is no token: it opens nothing.
    two.peer.send({ type: 'read', upto: (await server.db.selectFrom('contact_message').select('id').where('contact_id', '=', one.contactId).where('direction', '=', 'outbound').executeTakeFirstOrThrow()).id });
    two.peer.send({ type: 'ping' });
    await two.peer.type('pong');
    const outbound = await server.db.selectFrom('contact_message').select('status').where('contact_id', '=', one.contactId).where('direction', '=', 'outbound').executeTakeFirstOrThrow();
    expect(outbound.status).toBe('delivered');
    await Promise.all([one.peer.close(), two.peer.close(), agentPeer.close()]);
  });
});

describe('the advocate side', () => {
  it('refuses the socket without a session (401), to roles without contact.reply (403) and from another origin (403)', async () => {
    await expect(Peer.open(wsUrl(server.url, '/api/chat/agent'))).rejects.toMatchObject({ status: 401 });
    const analyst = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['analyst'] }));
    await expect(Peer.open(wsUrl(server.url, '/api/chat/agent'), { cookie: analyst.cookie })).rejects.toMatchObject({ status: 403 });
    await expect(Peer.open(wsUrl(server.url, '/api/chat/agent'), { cookie: advocateClient.cookie, origin: PARTNER })).rejects.toMatchObject({ status: 403 });
  });

  it('keeps chats to the advocate handling them, supervisors, and the hotline', async () => {
    const { peer, contactId } = await chatContact();
    expect((await advocateClient.post(`/api/queue/${contactId}/claim`)).status).toBe(200);
    const colleague = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['advocate'] }));
    const colleaguePeer = await agent(server.url, colleague);
    colleaguePeer.send({ type: 'join', contactId });
    expect(await colleaguePeer.type('error')).toMatchObject({ code: 'forbidden' });
    colleaguePeer.send({ type: 'send', contactId, clientId: cid(), body: 'no' });
    expect(await colleaguePeer.type('error')).toMatchObject({ code: 'forbidden' });

    const supervisorPeer = await agent(sibling.url, supervisorClient);
    supervisorPeer.send({ type: 'join', contactId });
    await supervisorPeer.type('joined');

    const other = await server.addHotline(`chat-other-${randomBytes(2).toString('hex')}`);
    const outsider = await new ApiClient(server.app).signIn(await other.createUser({ roles: ['supervisor'] }));
    const outsiderPeer = await agent(server.url, outsider);
    outsiderPeer.send({ type: 'join', contactId });
    expect(await outsiderPeer.type('error')).toMatchObject({ code: 'not_found' });
    expect((await outsider.get(`/api/chat/contacts/${contactId}`)).status).toBe(404);

    // An SMS contact is no chat.
    const number = await addSmsNumber(server);
    const sid = messageSid();
    await postSms(server.url, { MessageSid: sid, AccountSid: 'AC' + '0'.repeat(32), From: '+15145550999', To: number, Body: 'sms', NumMedia: '0' });
    const sms = await server.db.selectFrom('contact_message').select('contact_id').where('external_id', '=', sid).executeTakeFirstOrThrow();
    supervisorPeer.send({ type: 'join', contactId: sms.contact_id });
    expect(await supervisorPeer.type('error')).toMatchObject({ code: 'not_found' });

    // A release takes the right away at once.
    expect((await advocateClient.post(`/api/queue/${contactId}/release`)).status).toBe(200);
    const advocatePeer = await agent(server.url, advocateClient);
    advocatePeer.send({ type: 'send', contactId, clientId: cid(), body: 'after release' });
    expect(await advocatePeer.type('error')).toMatchObject({ code: 'forbidden' });
    await Promise.all([peer.close(), colleaguePeer.close(), supervisorPeer.close(), outsiderPeer.close(), advocatePeer.close()]);
  });

  it('offers the same operations over REST, stored once per client id, pushed to the visitor', async () => {
    const { peer, contactId, firstMessageId } = await chatContact();
    expect((await advocateClient.post(`/api/queue/${contactId}/claim`)).status).toBe(200);
    const read = await advocateClient.get(`/api/chat/contacts/${contactId}`);
    expect(read.status).toBe(200);
    expect(read.body.messages).toHaveLength(1);
    const clientId = cid();
    const sent = await advocateClient.post(`/api/chat/contacts/${contactId}/messages`, { clientId, body: 'Por REST' });
    expect(sent.status).toBe(201);
    expect((await advocateClient.post(`/api/chat/contacts/${contactId}/messages`, { clientId, body: 'Por REST' })).body.message.id).toBe(sent.body.message.id);
    expect((await peer.type('message')).message).toMatchObject({ id: sent.body.message.id, body: 'Por REST' });
    expect((await advocateClient.post(`/api/chat/contacts/${contactId}/typing`, { on: true })).status).toBe(200);
    await peer.type('typing');
    expect((await advocateClient.post(`/api/chat/contacts/${contactId}/read`, { upto: firstMessageId })).status).toBe(200);
    expect(await peer.type('status')).toMatchObject({ status: 'read', upto: firstMessageId });
    expect((await advocateClient.post(`/api/chat/contacts/${contactId}/messages`, { clientId: 'bad', body: '' })).status).toBe(400);
    expect((await advocateClient.post(`/api/chat/contacts/${contactId}/end`)).status).toBe(200);
    await peer.type('ended');
    expect((await advocateClient.post(`/api/chat/contacts/${contactId}/messages`, { clientId: cid(), body: 'late' })).status).toBe(409);
    const count = await server.db.selectFrom('contact_message').select('id').where('contact_id', '=', contactId).where('direction', '=', 'outbound').execute();
    expect(count).toHaveLength(1);
    await peer.close();
  });
});

describe('malformed frames', () => {
  const frameArb = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.json({ maxDepth: 3 }),
    fc.record({
      type: fc.constantFrom('start', 'resume', 'message', 'typing', 'read', 'leave', 'ping', 'join', 'send', 'end', '__proto__', 'constructor'),
      language: fc.oneof(fc.constantFrom('en', 'es', 'fr'), fc.string({ maxLength: 5 })),
      token: fc.string({ maxLength: 50 }),
      clientId: fc.oneof(fc.stringMatching(/^[a-z0-9]{8,12}$/), fc.string({ maxLength: 70 })),
      body: fc.oneof(fc.string({ maxLength: 300 }), fc.constant('x'.repeat(4001)), fc.integer()),
      on: fc.oneof(fc.boolean(), fc.string()),
      upto: fc.oneof(fc.uuid(), fc.string({ maxLength: 40 })),
      contactId: fc.oneof(fc.uuid(), fc.string({ maxLength: 40 })),
    }, { requiredKeys: ['type'] }).map((f) => JSON.stringify(f)),
  );

  /** Sends a batch, then a ping: the socket answers pong, or it was closed cleanly (1000/1008). Never 1011 or a 5xx. */
  async function survives(peer: Peer, frames: string[]) {
    for (const frame of frames) peer.send(frame);
    if (!peer.closed) peer.send({ type: 'ping' });
    await peer.next((f) => f.type === 'pong', 5000).catch(() => {
      if (!peer.closed) throw new Error('no pong and no close');
    });
    if (peer.closed) expect([1000, 1008]).toContain(peer.closed.code);
    expect(peer.frames.filter((f) => f.type === 'error' && f.code === 'internal_error')).toEqual([]);
  }

  it('answers thousands of random visitor frames with error frames or a clean close, never a crash', async () => {
    const { peer: first, session } = await startChat();
    await first.close();
    let frames = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(frameArb, { minLength: 20, maxLength: 40 }), fc.boolean(), async (batch, resume) => {
        const peer = await visitor(Math.random() < 0.5 ? server.url : sibling.url);
        if (resume) {
          peer.send({ type: 'resume', token: session.token });
          await peer.type('session');
        }
        frames += batch.length;
        await survives(peer, batch.filter((f) => !f.includes('"leave"')));
        await peer.close();
      }),
      { numRuns: 80 },
    );
    expect(frames).toBeGreaterThan(2000);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${sibling.url}/healthz`)).status).toBe(200);
  });

  it('answers random advocate frames the same way', async () => {
    let frames = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(frameArb, { minLength: 20, maxLength: 40 }), async (batch) => {
        const peer = await agent(server.url, supervisorClient);
        frames += batch.length;
        await survives(peer, batch);
        await peer.close();
      }),
      { numRuns: 25 },
    );
    expect(frames).toBeGreaterThan(500);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

describe('opening hours', () => {
  const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
  const configOf = (html: string) => JSON.parse(/data-config="([^"]*)"/.exec(html)![1].replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));

  it('closes the chat outside the hours: the page shows the after-hours message and the tip form, a new chat is refused, a running one goes on', async () => {
    const { timezone } = await server.db.selectFrom('hotline').select('timezone').where('id', '=', server.hotline.id).executeTakeFirstOrThrow();
    const today = DAYS.indexOf(localTime(new Date(), timezone).day);
    const whole = [{ day: DAYS[today], open: '00:00', close: '00:00' }, { day: DAYS[(today + 1) % 7], open: '00:00', close: '00:00' }];
    const elsewhere = [{ day: DAYS[(today + 3) % 7], open: '09:00', close: '17:00' }]; // neither today nor overnight from yesterday
    const key = `hours-${cid()}`;
    const admin = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['admin'] }));
    const created = await admin.post('/api/admin/access-points', { channel: 'chat', name: 'Chat with hours', address: key, settings: { allowedOrigins: [PARTNER], hours: whole, afterHoursMessage: { es: 'Abrimos el jueves a las 9.' } } });
    expect(created.status).toBe(201);
    const tips = `tips-${cid()}`;
    await createAccessPoint(server.db, server.ctx, server.hotline.id, { channel: 'webform', name: 'Web tips', address: tips, settings: {} });

    // Open: the questions, and a chat starts.
    const openPage = configOf(await (await fetch(`${server.url}/chat/${key}/embed?lang=es`)).text());
    expect(openPage).toMatchObject({ open: true, tipPath: null });
    const early = await Peer.open(visitorUrl(server.url, key), { origin: PARTNER });
    early.send({ type: 'start', language: 'es', safeToTalk: 'yes' });
    const running = await early.type('session');
    await early.close();

    // The admin sets hours that exclude now (this clears the server's access-point cache).
    const changed = await admin.patch(`/api/admin/access-points/${created.body.accessPoint.id}`, { settings: { allowedOrigins: [PARTNER], hours: elsewhere, afterHoursMessage: { es: 'Abrimos el jueves a las 9.' } }, version: created.body.accessPoint.version });
    expect(changed.status).toBe(200);

    const closedPage = await fetch(`${server.url}/chat/${key}/embed?lang=es`);
    expect(closedPage.status).toBe(200);
    expect(configOf(await closedPage.text())).toMatchObject({ open: false, tipPath: `/tip/${tips}`, afterHours: { es: 'Abrimos el jueves a las 9.' }, hours: elsewhere, timeZone: timezone });

    const sessionsBefore = await server.db.selectFrom('chat_session').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const late = await Peer.open(visitorUrl(server.url, key), { origin: PARTNER });
    late.send({ type: 'start', language: 'es', safeToTalk: 'yes' });
    expect(await late.type('error')).toMatchObject({ code: 'chat_closed' });
    const sessionsAfter = await server.db.selectFrom('chat_session').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(sessionsAfter.n).toBe(sessionsBefore.n);
    await late.close();

    // The visitor who started before closing time keeps their conversation.
    const back = await Peer.open(visitorUrl(server.url, key), { origin: PARTNER });
    back.send({ type: 'resume', token: running.token });
    expect(await back.type('session')).toMatchObject({ resumed: true, sessionId: running.sessionId });
    const clientId = cid();
    back.send({ type: 'message', clientId, body: 'Sigo aquí' });
    expect(await back.type('ack')).toMatchObject({ clientId, status: 'delivered' });
    await back.close();
  });

  it('opens a line set to open only while staffed when someone signed in is available, and closes it when nobody is', async () => {
    const key = `staffed-${cid()}`;
    await createAccessPoint(server.db, server.ctx, server.hotline.id, { channel: 'chat', name: 'Staffed chat', address: key, settings: { allowedOrigins: [PARTNER], onlyWhenStaffed: true } });
    const page = async () => configOf(await (await fetch(`${server.url}/chat/${key}/embed?lang=en`)).text());
    const tryStart = async () => {
      const peer = await Peer.open(visitorUrl(server.url, key), { origin: PARTNER });
      peer.send({ type: 'start', language: 'en', safeToTalk: 'yes' });
      const frame = await peer.next((f) => f.type === 'session' || f.type === 'error');
      await peer.close();
      return frame;
    };
    expect((await advocateClient.put('/api/me/availability', { availability: 'offline' })).status).toBe(200);
    expect(await page()).toMatchObject({ open: false, closedReason: 'unstaffed' });
    expect(await tryStart()).toMatchObject({ type: 'error', code: 'chat_closed', reason: 'unstaffed' });

    expect((await advocateClient.put('/api/me/availability', { availability: 'available' })).status).toBe(200);
    expect(await page()).toMatchObject({ open: true, closedReason: null });
    expect(await tryStart()).toMatchObject({ type: 'session' });

    // Busy still counts (they can take the next chat); on a break or signed out does not.
    expect((await advocateClient.put('/api/me/availability', { availability: 'busy' })).status).toBe(200);
    expect(await page()).toMatchObject({ open: true });
    expect((await advocateClient.put('/api/me/availability', { availability: 'break' })).status).toBe(200);
    expect(await page()).toMatchObject({ open: false, closedReason: 'unstaffed' });

    // A line that routes to a team counts only people of that team (or of every team).
    const teamKey = `team-${cid()}`;
    await createAccessPoint(server.db, server.ctx, server.hotline.id, { channel: 'chat', name: 'Team chat', address: teamKey, team: 'chat-team', settings: { allowedOrigins: [PARTNER], onlyWhenStaffed: true } });
    const teamPage = async () => configOf(await (await fetch(`${server.url}/chat/${teamKey}/embed`)).text());
    await server.db.updateTable('app_user').set({ teams: ['texts'] }).where('id', '=', advocate.id).execute();
    expect((await advocateClient.put('/api/me/availability', { availability: 'available' })).status).toBe(200);
    expect(await teamPage()).toMatchObject({ open: false, closedReason: 'unstaffed' });
    await server.db.updateTable('app_user').set({ teams: ['texts', 'chat-team'] }).where('id', '=', advocate.id).execute();
    expect((await advocateClient.put('/api/me/availability', { availability: 'available' })).status).toBe(200);
    expect(await teamPage()).toMatchObject({ open: true });
    await server.db.updateTable('app_user').set({ teams: [] }).where('id', '=', advocate.id).execute();
  });
});

describe('files from the visitor', () => {
  const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
  const upload = (token: string | null, data: Buffer | string, query: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/api/chat/visitor/files?${new URLSearchParams({ hotline: server.hotline.slug, ...query })}`, {
      method: 'POST',
      headers: { origin: server.url, 'content-type': 'application/octet-stream', ...(token ? { 'x-chat-token': token } : {}), ...headers },
      body: typeof data === 'string' ? data : new Uint8Array(data),
    });

  it('stores a photo as a visitor message with the file attached, encrypted, once per client id, shown to staff', async () => {
    const { peer, session } = await startChat();
    const clientId = cid();
    const response = await upload(session.token, PNG, { clientId, name: 'anuncio del trabajo.png' });
    expect(response.status).toBe(201);
    const { message } = await response.json();
    expect(message).toMatchObject({ clientId, from: 'visitor', status: 'delivered', body: '📎 anuncio del trabajo.png', file: { name: 'anuncio del trabajo.png', contentType: 'image/png', size: PNG.length } });
    // The same upload again (a lost answer): nothing stored twice.
    expect((await upload(session.token, PNG, { clientId, name: 'anuncio del trabajo.png' })).status).toBe(201);
    const files = await server.db.selectFrom('attachment').selectAll().where('message_id', '=', message.id).execute();
    expect(files).toHaveLength(1);
    expect(files[0].data.includes(PNG.subarray(0, 16))).toBe(false);
    expect(files[0].filename.toString('latin1')).not.toContain('anuncio');
    // Text files keep their bytes whatever type the browser names.
    const note = await upload(session.token, 'Placa ABC-123', { clientId: cid(), name: 'placa.txt' }, { 'content-type': 'text/plain' });
    expect(note.status).toBe(201);
    expect((await note.json()).message.file).toMatchObject({ contentType: 'text/plain', size: 13 });
    // Staff see the file in the contact and can download it.
    const contactId = (await server.db.selectFrom('contact_message').select('contact_id').where('id', '=', message.id).executeTakeFirstOrThrow()).contact_id;
    const read = await supervisorClient.get(`/api/contacts/${contactId}`);
    const withFile = read.body.contact.messages.find((m: { id: string }) => m.id === message.id);
    expect(withFile.attachments).toEqual([expect.objectContaining({ filename: 'anuncio del trabajo.png', contentType: 'image/png' })]);
    expect((await supervisorClient.get(withFile.attachments[0].url)).raw.rawPayload.equals(PNG)).toBe(true);
    await peer.close();
  });

  it('refuses other sites, unknown tokens, executables, empty and oversized files, and ended chats, storing nothing', async () => {
    const { peer, session } = await startChat();
    const before = await server.db.selectFrom('attachment').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const code = async (r: Response) => ({ status: r.status, code: (await r.json()).error?.code });
    expect(await code(await upload(session.token, PNG, { clientId: cid(), name: 'a.png' }, { origin: PARTNER }))).toEqual({ status: 403, code: 'forbidden' });
    expect(await code(await upload('x'.repeat(43), PNG, { clientId: cid(), name: 'a.png' }))).toEqual({ status: 404, code: 'not_found' });
    expect(await code(await upload(null, PNG, { clientId: cid(), name: 'a.png' }))).toEqual({ status: 404, code: 'not_found' });
    expect(await code(await upload(session.token, Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), { clientId: cid(), name: 'setup.exe' }))).toEqual({ status: 415, code: 'unsupported_media_type' });
    expect(await code(await upload(session.token, Buffer.alloc(0), { clientId: cid(), name: 'empty.png' }))).toEqual({ status: 400, code: 'validation_failed' });
    expect(await code(await upload(session.token, Buffer.alloc(5 * 1024 * 1024 + 10, 0x41), { clientId: cid(), name: 'big.txt' }))).toEqual({ status: 413, code: 'payload_too_large' });
    expect(await code(await upload(session.token, PNG, { clientId: 'bad id!', name: 'a.png' }))).toEqual({ status: 400, code: 'validation_failed' });
    peer.send({ type: 'leave' });
    await peer.type('ended');
    expect(await code(await upload(session.token, PNG, { clientId: cid(), name: 'late.png' }))).toEqual({ status: 409, code: 'conflict' });
    const after = await server.db.selectFrom('attachment').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});
