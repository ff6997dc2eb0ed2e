import fs from 'node:fs';
import net from 'node:net';

/**
 * A loopback port that is free now and lies below the kernel's ephemeral range, for a server a test or bench starts
 * itself (the embedded PostgreSQL's CATALYST_PG_PORT). A port inside that range can be taken meanwhile by any outgoing
 * connection's local end — a benchmark opens thousands — and PostgreSQL then fails to bind it.
 */
export async function freeLoopbackPort(): Promise<number> {
  const [ephemeralLow] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  const high = Math.min(ephemeralLow || 32768, 32768) - 1;
  const low = Math.min(20000, high - 1000);
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (await isFree(port)) return port;
  }
  throw new Error(`no free loopback port found between ${low} and ${high}`);
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
