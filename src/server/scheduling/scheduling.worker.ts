/**
 * Runs one roster solve (HiGHS, synchronous once loaded) in a worker thread, so the server keeps answering
 * other requests meanwhile. Receives `{ task, ... }` as workerData and posts `{ ok, value | error }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { planRoster, type PlanRosterInput } from './roster-plan.js';
import { reoptimiseAfterAbsence } from './roster-reoptimise.js';
import type { Absence, PublishedRoster, RosterInput } from '../../shared/scheduling/roster-schemas.js';

export type SolveTask =
  | { task: 'plan'; input: PlanRosterInput }
  | { task: 'reoptimise'; input: RosterInput; published: PublishedRoster; absence: Absence };

async function run(task: SolveTask) {
  if (task.task === 'plan') return planRoster(task.input);
  return reoptimiseAfterAbsence(task.input, task.published, task.absence);
}

if (parentPort) {
  run(workerData as SolveTask).then(
    (value) => parentPort!.postMessage({ ok: true, value }),
    (error: unknown) => parentPort!.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
}
