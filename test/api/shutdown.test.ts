import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createAccessPoint } from '../../src/server/channels/access-points.js';
import { ApiClient } from '../helpers/client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

// app.close() must not wait on what clients keep open: unused keep-alive connections, chat and live sockets, and
// peers that never answer a close frame. (This was the 60 s hang at the end of the chat tests.)

const PARTNER = 'https://partner.example.org';
let server: TestServer;
let closed = false;

beforeAll(async () => {
  server = await startTestServer();
  await createAccessPoint(server.db, server.ctx, server.hotline.id, { channel: 'chat', name: 'Web chat', address: server.hotline.slug, settings: { allowedOrigins: [PARTNER] } });
});
afterAll(async () => {
  if (!closed) await server?.close();
});

function openWs(url: string, headers: Record<string, string>) {
  const ws = new WebSocket(url, { headers });
  const closedWith = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  return new Promise<{ ws: WebSocket; closedWith: Promise<number> }>((resolve, reject) => {
    ws.once('open', () => resolve({ ws, closedWith }));
    ws.once('error', reject);
  });
}

describe('closing the server', () => {
  it('closes idle connections, chat and live sockets, and cuts a peer that never answers the close frame', async () => {
    const { port } = new URL(server.url);
    // A connection that never sends a request (what browsers preconnect and fetch pools leave behind).
    const silent = net.connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => silent.once('connect', () => resolve()));
    const silentClosed = new Promise<void>((resolve) => silent.once('close', () => resolve()));
    silent.on('error', () => undefined);

    // A keep-alive connection that has had one request and is idle now.
    const keepAlive = new http.Agent({ keepAlive: true });
    const health = await new Promise<number>((resolve, reject) => {
      const req = http.get(`${server.url}/api/health`, { agent: keepAlive }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
    });
    expect(health).toBeLessThan(500);

    const visitor = await openWs(`${server.url.replace(/^http/, 'ws')}/api/chat/visitor?hotline=${server.hotline.slug}`, { origin: PARTNER });
    const advocate = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['advocate'] }));
    const live = await openWs(`${server.url.replace(/^http/, 'ws')}/api/live`, { cookie: advocate.cookie });
    // A peer whose network is gone: it stops reading, so it never answers the server's close frame.
    const gone = await openWs(`${server.url.replace(/^http/, 'ws')}/api/live`, { cookie: advocate.cookie });
    (gone.ws as unknown as { _socket: net.Socket })._socket.pause();

    closed = true;
    await server.close();

    await silentClosed;
    expect(await visitor.closedWith).toBe(1001);
    expect(await live.closedWith).toBe(1001);
    // The server finished closing although this peer never answered its close frame (ws alone would wait 30 s).
    expect((gone.ws as unknown as { _closeFrameSent: boolean })._closeFrameSent).toBe(false);
    (gone.ws as unknown as { _socket: net.Socket })._socket.resume();
    expect(await gone.closedWith).toBe(1001);
    keepAlive.destroy();
  });
});
