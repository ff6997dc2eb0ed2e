import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { WebSocketServer } from 'ws';

/** How long WebSocket peers get to answer our close frame before their sockets are cut. */
export const WEBSOCKET_CLOSE_GRACE_MS = 1000;

interface ConnectionState {
  inFlight: number;
  upgraded: boolean;
}

/**
 * Makes `app.close()` finish as soon as the requests in flight are answered, whatever the clients hold open.
 *
 * Node's `server.close()` waits for every connection to end, and at shutdown it closes only keep-alive connections
 * that are idle *between* requests. A connection that was opened but has not sent a request yet counts as busy until
 * `headersTimeout` (60 s): browsers open such speculative connections, and HTTP client pools (undici, behind `fetch`)
 * leave one behind whenever a queued request was served by another connection first. That was the 60 s hang at
 * the end of the chat tests. Here, at close: connections with nothing in flight are destroyed; those with a request
 * in flight answer it with `Connection: close` and end. Upgraded (WebSocket) sockets are closed by
 * `closeWebSockets` below.
 */
export function closeConnectionsPromptly(app: FastifyInstance) {
  const connections = new Map<Socket, ConnectionState>();
  let isClosing = false;

  app.server.on('connection', (socket: Socket) => {
    connections.set(socket, { inFlight: 0, upgraded: false });
    socket.once('close', () => connections.delete(socket));
  });
  app.server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const state = connections.get(request.socket);
    if (!state) return;
    state.inFlight += 1;
    if (isClosing) response.shouldKeepAlive = false;
    response.once('close', () => {
      state.inFlight -= 1;
      if (isClosing && state.inFlight === 0 && !state.upgraded) request.socket.end();
    });
  });
  app.server.on('upgrade', (_request: IncomingMessage, socket: Socket) => {
    const state = connections.get(socket);
    if (state) state.upgraded = true;
  });

  app.addHook('preClose', async () => {
    isClosing = true;
    for (const [socket, state] of connections) {
      if (state.upgraded) continue;
      if (state.inFlight === 0) socket.destroy();
    }
  });
}

/**
 * The WebSocket part of shutdown (used as @fastify/websocket's `preClose`): every open socket — chat visitors,
 * advocates, live consoles — gets a 1001 "going away" close frame, so widgets and consoles reconnect (to another
 * server behind the load balancer); a peer that does not answer within the grace period (a phone that lost its network,
 * a half-open TCP connection) is cut, instead of holding the shutdown for ws's 30 s close timeout.
 */
export async function closeWebSockets(wss: WebSocketServer, graceMs = WEBSOCKET_CLOSE_GRACE_MS) {
  const open = [...wss.clients];
  await Promise.all(
    open.map(
      (client) =>
        new Promise<void>((resolve) => {
          if (client.readyState === client.CLOSED) return resolve();
          const timer = setTimeout(() => {
            client.terminate();
            resolve();
          }, graceMs);
          client.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
          if (client.readyState === client.OPEN) client.close(1001, 'server shutting down');
        }),
    ),
  );
  await new Promise<void>((resolve) => wss.close(() => resolve()));
}
