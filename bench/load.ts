import http from 'node:http';

/**
 * An open-loop load generator: requests start at a fixed rate whatever the server's speed (as real traffic does), over
 * a pool of keep-alive connections, and latency is measured from the planned start, so queueing is not hidden.
 */
export async function openLoop(opts: { url: string; headers?: Record<string, string>; rate: number; seconds: number; connections: number }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections });
  const target = new URL(opts.url);
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  const total = Math.round(opts.rate * opts.seconds);
  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const planned = start + (i * 1000) / opts.rate;
    const wait = planned - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(
      new Promise<void>((resolve) => {
        const req = http.request({ host: target.hostname, port: target.port, path: target.pathname + target.search, agent, headers: opts.headers }, (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode! < 200 || res.statusCode! >= 300) non2xx++;
            latencies.push(performance.now() - planned);
            resolve();
          });
        });
        req.on('error', () => { errors++; resolve(); });
        req.end();
      }),
    );
  }
  await Promise.all(pending);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const q = (p: number) => Number(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]?.toFixed(2));
  return { offeredRps: opts.rate, achievedRps: Number((latencies.length / ((performance.now() - start) / 1000)).toFixed(0)), requests: latencies.length, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: q(0.9999), non2xx, errors };
}
