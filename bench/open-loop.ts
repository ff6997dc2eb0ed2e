/**
 * An open-loop HTTP/1.1 load generator on raw keep-alive sockets: requests start on schedule whatever the server's
 * speed, and latency counts from the planned start (no coordinated omission). It writes pre-built request bytes and
 * reads only the status line and Content-Length, so it costs a fraction of node:http's CPU per request — which
 * matters when the generator shares two cores with the servers it measures.
 */
import net from 'node:net';

export interface PlannedRequest {
  /** The whole request head and body, built once before the clock starts. */
  bytes: Buffer;
}

export interface OpenLoopResult {
  /** Milliseconds from each request's planned start to the end of its response, in request order. */
  latencies: number[];
  /** Each request's planned start, as a wall-clock time in ms (performance.timeOrigin based). */
  plannedAt: number[];
  statuses: number[];
  errors: number;
  achievedRps: number;
}

/** Builds the bytes of one POST request. */
export function buildPost(host: string, path: string, headers: Record<string, string>, body: string): Buffer {
  const head = [`POST ${path} HTTP/1.1`, `Host: ${host}`, 'Connection: keep-alive', `Content-Length: ${Buffer.byteLength(body)}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  return Buffer.from(`${head.join('\r\n')}\r\n\r\n${body}`);
}

class Connection {
  private socket: net.Socket;
  readonly connected: Promise<void>;
  private buffer: Buffer = Buffer.alloc(0);
  private onDone: ((status: number) => void) | null = null;
  private onFail: ((error: Error) => void) | null = null;
  private dead: Error | null = null;

  constructor(host: string, port: number) {
    this.socket = net.connect({ host, port, noDelay: true });
    this.connected = new Promise((resolve) => this.socket.once('connect', () => resolve()));
    this.socket.on('data', (chunk) => this.read(chunk));
    this.socket.on('error', (error) => this.fail(error));
    this.socket.on('close', () => this.fail(new Error('connection closed')));
  }

  send(bytes: Buffer): Promise<number> {
    return new Promise((resolve, reject) => {
      if (this.dead) return reject(this.dead);
      this.onDone = resolve;
      this.onFail = reject;
      this.socket.write(bytes);
    });
  }

  private read(chunk: Buffer) {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const headEnd = this.buffer.indexOf('\r\n\r\n');
    if (headEnd < 0) return;
    const head = this.buffer.subarray(0, headEnd).toString('latin1');
    const status = Number(head.slice(9, 12));
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (!length) return this.fail(new Error('response without Content-Length'));
    const end = headEnd + 4 + Number(length[1]);
    if (this.buffer.length < end) return;
    this.buffer = this.buffer.subarray(end);
    const done = this.onDone;
    this.onDone = this.onFail = null;
    done?.(status);
  }

  private fail(error: Error) {
    this.dead ??= error;
    const fail = this.onFail;
    this.onDone = this.onFail = null;
    fail?.(error);
  }

  close() {
    this.socket.destroy();
  }
}

/** Sends `requests` at `rate` per second over up to `connections` sockets (one request in flight per socket). */
export async function openLoop(base: string, requests: PlannedRequest[], rate: number, connections: number): Promise<OpenLoopResult> {
  const url = new URL(base);
  const idle: Connection[] = [];
  const all: Connection[] = [];
  const waiting: number[] = [];
  const latencies = new Array<number>(requests.length);
  const plannedAt = new Array<number>(requests.length);
  const statuses = new Array<number>(requests.length).fill(0);
  let errors = 0;
  let finished = 0;
  let allDone!: () => void;
  const done = new Promise<void>((resolve) => (allDone = resolve));
  // Connections are opened before the clock starts, as a provider's steady traffic (or a proxy in front) keeps them
  // open. Opened under load instead, a new connection waits for a loaded Node server to read it: at 85 % CPU a plain
  // node:http server answered the first request of each new connection only after 1–5 s while kept-alive connections
  // were served in milliseconds (docs/benchmarks.md, Intake webhooks).
  for (let i = 0; i < connections; i++) all.push(new Connection(url.hostname, Number(url.port)));
  await Promise.all(all.map((c) => c.connected));
  idle.push(...all);
  const start = performance.now();
  const planned = (i: number) => start + (i * 1000) / rate;

  const run = (connection: Connection, i: number) => {
    connection.send(requests[i].bytes).then(
      (status) => {
        statuses[i] = status;
        latencies[i] = performance.now() - planned(i);
        next(connection);
      },
      () => {
        errors++;
        latencies[i] = performance.now() - planned(i);
        // A broken socket is replaced; its request counts as an error.
        connection.close();
        const fresh = new Connection(url.hostname, Number(url.port));
        all.push(fresh);
        next(fresh);
      },
    );
  };
  const next = (connection: Connection) => {
    if (++finished === requests.length) allDone();
    const i = waiting.shift();
    if (i === undefined) idle.push(connection);
    else run(connection, i);
  };
  const dispatch = (i: number) => {
    plannedAt[i] = performance.timeOrigin + planned(i);
    let connection = idle.pop();
    if (!connection && all.length < connections) all.push((connection = new Connection(url.hostname, Number(url.port))));
    if (connection) run(connection, i);
    else waiting.push(i);
  };

  for (let i = 0; i < requests.length; i++) {
    const wait = planned(i) - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    dispatch(i);
  }
  await done;
  const elapsed = (performance.now() - start) / 1000;
  for (const connection of all) connection.close();
  return { latencies, plannedAt, statuses, errors, achievedRps: Math.round(requests.length / elapsed) };
}

/**
 * A burst of NEW connections: each request opens its own socket at the same instant (a provider or proxy opening many
 * connections at once) and its latency counts from before the connect. What a keep-alive run cannot see: whether the
 * server's accept queue (the listen backlog) overflows, which makes the kernel drop the handshake's last packet and the
 * client wait for a retransmission (1 s, then 2 s more).
 */
export async function newConnectionBurst(base: string, requests: PlannedRequest[]): Promise<{ latencies: number[]; statuses: number[]; errors: number }> {
  const url = new URL(base);
  const latencies = new Array<number>(requests.length);
  const statuses = new Array<number>(requests.length).fill(0);
  let errors = 0;
  const start = performance.now();
  await Promise.all(requests.map(async (request, i) => {
    const connection = new Connection(url.hostname, Number(url.port));
    try {
      await connection.connected;
      statuses[i] = await connection.send(request.bytes);
    } catch {
      errors++;
    } finally {
      latencies[i] = performance.now() - start;
      connection.close();
    }
  }));
  return { latencies, statuses, errors };
}
