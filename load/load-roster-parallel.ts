/**
 * `loadRoster` for large trees: the per-file work spread over worker threads, the cross-file checks on the
 * main thread. Same result as `loadRoster`, in the same order.
 *
 * Small trees are checked in this thread (starting workers costs more than it saves). Workers run the same code
 * as this module: built, the compiled `load-roster-worker.js` beside it; from TypeScript sources (ts-jest, or the
 * Pulumi program under ts-node), `load-roster-worker.ts` transpiled on require with the `typescript` package that
 * runs those sources (see `workerSource`) — never a stale dist/. Without either, the work is done in this thread.
 */
import { existsSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { combineFileResults, type LoadedRoster } from "../core/check-roster";
import { shareFileName } from "../core/share-file-name";
import { createUsersFileChecker, type UsersFileResult } from "../core/users-file";
import { splitBySize } from "../core/work-shares";
import { scanUsersTree, type UserFileRef } from "./find-user-files";
import { checkUserFile, missingUsersDir, type LoadRosterOptions } from "./load-roster";

/** Below this many bytes of YAML the tree is checked in the calling thread. */
const PARALLEL_THRESHOLD_BYTES = 4 * 1024 * 1024;

export interface ParallelLoadOptions extends LoadRosterOptions {
  /** Threads to use, the calling one included; defaults to the number of available cores. 1 or less: no workers. */
  workers?: number;
  /** Overrides PARALLEL_THRESHOLD_BYTES (tests use 0 to force workers on a small tree). */
  parallelThresholdBytes?: number;
}

/** What the main thread sends a worker. */
export interface WorkerJob {
  files: UserFileRef[];
  profile: LoadRosterOptions["profile"];
}

/** What a worker sends back: one message per file of its job (`index` into the job's files), then `done`. */
export interface WorkerReply {
  index?: number;
  result?: UsersFileResult;
  done?: boolean;
  error?: string;
}

export async function loadRosterParallel(options: ParallelLoadOptions): Promise<LoadedRoster> {
  const scan = scanUsersTree(options.usersDir, options.repoRoot);
  if (scan === undefined) return missingUsersDir(options);
  const files = scan.files;
  const totalBytes = files.reduce((sum, f) => sum + f.size, 0);
  const workerCount = Math.min(options.workers ?? os.availableParallelism(), files.length);
  const workerScript = workerSource();
  if (workerCount <= 1 || totalBytes < (options.parallelThresholdBytes ?? PARALLEL_THRESHOLD_BYTES) || workerScript === undefined) {
    const check = createUsersFileChecker(options.profile);
    return combineFileResults(
      files.map((ref) => checkUserFile(ref, check)),
      options.profile,
      scan.diagnostics,
    );
  }
  const [ownShare, ...workerShares] = splitBySize(files, workerCount);
  const results: UsersFileResult[] = new Array(files.length);
  // The calling thread takes a share too: one worker fewer to start, one share less to copy between threads.
  const running = Promise.all(
    workerShares.map((share) =>
      runWorker(workerScript, { files: share.map((i) => files[i]), profile: options.profile }, (k, result) => {
        results[share[k]] = shareFileName(result);
      }).then(
        () => undefined,
        (e: unknown) => e,
      ),
    ),
  );
  const check = createUsersFileChecker(options.profile);
  for (const i of ownShare) results[i] = checkUserFile(files[i], check);
  const failures = await running;
  // A worker that died (out of memory on a huge file, say) must not lose files: check what it left here.
  if (failures.some((f) => f !== undefined)) {
    files.forEach((ref, i) => {
      if (results[i] === undefined) results[i] = checkUserFile(ref, check);
    });
  }
  return combineFileResults(results, options.profile, scan.diagnostics);
}

/** How a worker is started: a script path, or code to evaluate (`eval`) with what it needs in `workerData`. */
interface WorkerSource {
  script: string;
  eval: boolean;
  /** Set for the evaluated bootstrap: the TypeScript worker module and the `typescript` package to transpile it. */
  typescript?: { entry: string; compiler: string };
}

/**
 * Transpiles `.ts` modules on require (CommonJS, as tsconfig.json emits them) and runs the worker module. Used
 * only when this module itself runs from TypeScript sources.
 */
const TYPESCRIPT_WORKER_BOOTSTRAP = `
const { workerData } = require("worker_threads");
const { readFileSync } = require("fs");
const ts = require(workerData.typescript.compiler);
const options = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  resolveJsonModule: true,
  useDefineForClassFields: false,
};
require.extensions[".ts"] = (module, fileName) => {
  module._compile(ts.transpileModule(readFileSync(fileName, "utf8"), { fileName, compilerOptions: options }).outputText, fileName);
};
require(workerData.typescript.entry);
`;

/** The worker for the code that is running, built or not; `undefined` when there is none (then: in this thread). @internal */
export function workerSource(): WorkerSource | undefined {
  if (__filename.endsWith(".js")) {
    const compiled = path.join(__dirname, "load-roster-worker.js");
    return existsSync(compiled) ? { script: compiled, eval: false } : undefined;
  }
  const entry = path.join(__dirname, "load-roster-worker.ts");
  let compiler: string;
  try {
    compiler = require.resolve("typescript");
  } catch {
    return undefined;
  }
  return existsSync(entry) ? { script: TYPESCRIPT_WORKER_BOOTSTRAP, eval: true, typescript: { entry, compiler } } : undefined;
}

function runWorker(source: WorkerSource, job: WorkerJob, onResult: (index: number, result: UsersFileResult) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(source.script, { eval: source.eval, workerData: { ...job, typescript: source.typescript } });
    let settled = false;
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      if (error) reject(error);
      else resolve();
    };
    worker.on("message", (reply: WorkerReply) => {
      if (reply.result !== undefined && reply.index !== undefined) onResult(reply.index, reply.result);
      else if (reply.done) settle();
      else settle(new Error(`users file worker failed: ${reply.error ?? "unexpected message"}`));
    });
    worker.once("error", (e) => settle(e));
    worker.once("exit", (code) => settle(new Error(`users file worker exited with code ${code} before finishing`)));
  });
}
