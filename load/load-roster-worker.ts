/**
 * Worker thread entry for `load-roster-parallel.ts`: checks the files of its job and posts the results back.
 *
 * Runs only as a worker (compiled, or transpiled on require from its TypeScript source: see
 * `workerSource` there); importing it elsewhere does nothing. It does the per-file work only: cross-file checks
 * stay on the main thread.
 */
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { createUsersFileChecker } from "../core/users-file";
import { checkUserFile } from "./load-roster";
import type { WorkerJob, WorkerReply } from "./load-roster-parallel";

/** Posts one message per file, as soon as it is checked, so neither side holds a whole share twice. */
function runJob(job: WorkerJob, post: (reply: WorkerReply) => void): void {
  try {
    const check = createUsersFileChecker(job.profile);
    for (const [index, ref] of job.files.entries()) post({ index, result: checkUserFile(ref, check) });
    post({ done: true });
  } catch (e) {
    post({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
}

if (!isMainThread && parentPort !== null) {
  const port = parentPort;
  runJob(workerData as WorkerJob, (reply) => port.postMessage(reply));
}
