/**
 * Roster solves off the request thread. HiGHS (WebAssembly) blocks its thread for the whole solve (about 0.1–5 s for
 * a hotline's week), so each solve runs in its own worker thread with a hard time limit; the event loop stays free for
 * the queue, chats and calls. Under the TypeScript sources (tests, `tsx`) the worker loads through tsx; the built
 * server runs the compiled worker directly.
 */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Absence, PublishedRoster, RosterInput } from '../../shared/scheduling/roster-schemas.js';
import type { PlanRosterInput, PlanRosterResult } from './roster-plan.js';
import type { ReoptimiseResult } from './roster-reoptimise.js';
import type { SolveTask } from './scheduling.worker.js';

/** Safety net well above the solvers' own limits (covering 20 s + assignment 60 s). */
const HARD_LIMIT_MS = 120_000;

const isSource = fileURLToPath(import.meta.url).endsWith('.ts');
const workerUrl = new URL(isSource ? './scheduling.worker.ts' : './scheduling.worker.js', import.meta.url);

function startWorker(task: SolveTask): Worker {
  if (!isSource) return new Worker(workerUrl, { workerData: task });
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/index\.cjs$/, 'index.mjs')).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(workerUrl.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData: task });
}

function solve<T>(task: SolveTask): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = startWorker(task);
    let isDone = false;
    const finish = (fn: () => void) => {
      if (isDone) return;
      isDone = true;
      clearTimeout(timer);
      void worker.terminate();
      fn();
    };
    const timer = setTimeout(() => finish(() => reject(new Error(`roster solve exceeded ${HARD_LIMIT_MS / 1000} s`))), HARD_LIMIT_MS);
    worker.on('message', (message: { ok: true; value: T } | { ok: false; error: string }) => finish(() => (message.ok ? resolve(message.value) : reject(new Error(message.error)))));
    worker.on('error', (error) => finish(() => reject(error)));
    worker.on('exit', (code) => finish(() => reject(new Error(`roster solver stopped (exit code ${code})`))));
  });
}

export const solvePlan = (input: PlanRosterInput) => solve<PlanRosterResult>({ task: 'plan', input });
export const solveReoptimise = (input: RosterInput, published: PublishedRoster, absence: Absence) => solve<ReoptimiseResult>({ task: 'reoptimise', input, published, absence });
