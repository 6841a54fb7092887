/**
 * Worker thread entry for `load-roster-parallel.ts`: checks the files of its job and posts the results back.
 *
 * Runs only as a worker script (compiled to dist/core/load-roster-worker.js); importing it elsewhere does
 * nothing. It does the per-file work only: cross-file checks stay on the main thread.
 */
import { isMainThread, parentPort, workerData } from "worker_threads";
import { checkUserFile } from "./load-roster";
import type { WorkerJob, WorkerReply } from "./load-roster-parallel";
import { createUsersFileChecker } from "./users-file";

function runJob(job: WorkerJob): WorkerReply {
  try {
    const check = createUsersFileChecker(job.profile);
    return { results: job.files.map((ref) => checkUserFile(ref, check)) };
  } catch (e) {
    return { error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}

if (!isMainThread && parentPort !== null) {
  parentPort.postMessage(runJob(workerData as WorkerJob));
}
