/**
 * Test harness: Pulumi's own Node.js dynamic-provider host, driven over gRPC with the test playing the engine.
 *
 * `pulumi up` starts `@pulumi/pulumi/cmd/dynamic-provider` as a plugin process, reads its port from stdout, and calls
 * Configure/Check/Diff/Create/Read/Update/Delete on it with the resource's properties as `google.protobuf.Struct`,
 * the serialised provider travelling in every call as the `__provider` property. This harness does the same, so a
 * provider is tested exactly as the host loads it (re-required from its serialised text, in another process, with
 * only the environment it is given) — which is where serialisation mistakes show up.
 *
 * What the engine does that this harness leaves to the test: choosing which call comes next (preview runs only
 * check and diff), keeping the state between calls, and marking secrets. Values cross the wire as JSON does:
 * `undefined` properties are dropped, and a preview-time unknown is the string `UNKNOWN`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as grpc from "@grpc/grpc-js";
import { Struct, type JavaScriptValue } from "google-protobuf/google/protobuf/struct_pb";
import * as pulumi from "@pulumi/pulumi";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as pb from "@pulumi/pulumi/proto/provider_pb";
import { Status } from "@pulumi/pulumi/proto/status_pb";

/** What the engine sends in place of a value that is not known yet (during `pulumi preview`). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Resource properties as they cross the wire: JSON values. */
export type Props = Record<string, unknown>;

interface CheckFailure {
  property: string;
  reason: string;
}

export interface CheckResult {
  inputs: Props;
  failures: CheckFailure[];
}

export interface DiffResult {
  /** `true`: the engine plans an update; `false`: no change; `undefined`: the provider did not say (DIFF_UNKNOWN). */
  changes: boolean | undefined;
  replaces: string[];
  deleteBeforeReplace: boolean;
}

export interface CreateResult {
  id: string;
  /** The outputs, with `__provider` as the host adds it. */
  properties: Props;
}

export interface ReadResult {
  id: string;
  properties: Props;
  /** Present when the provider's `read` returned inputs. */
  inputs?: Props;
}

export interface UpdateResult {
  properties: Props;
}

/** A create/update that failed after the resource came to exist: what the engine records as a partial result. */
export interface InitFailure {
  id: string;
  properties: Props;
  reasons: string[];
}

/** A call the provider (or the host) failed; `message` is the provider's own error message. */
export class ProviderCallError extends Error {
  /** Checked by name, not instanceof, like the project's other boundary errors. */
  public readonly name = "ProviderCallError";
  constructor(
    public readonly method: string,
    message: string,
    /** gRPC status code (2 = UNKNOWN for a thrown provider error). */
    public readonly code: number,
    /** Set when the error carried `id`/`properties`/`reasons` (a partial create or update). */
    public readonly initFailure?: InitFailure,
  ) {
    super(message);
  }
}

export interface ProviderHostOptions {
  /** The project root the host runs in: `node_modules` packages the provider uses resolve from here. */
  cwd?: string;
  /** `PULUMI_NODEJS_PROJECT`: the project name config keys are namespaced with (default `cognito-roster`). */
  project?: string;
  /** Extra environment, e.g. `AWS_ENDPOINT_URL` for the emulator. Added to this process's environment. */
  env?: Record<string, string>;
  /** How long to wait for the host to print its port. */
  startTimeoutMs?: number;
}

const DEFAULT_PROJECT = "cognito-roster";

/** A URN like the engine's for a resource of this project (the host passes it through; providers rarely read it). */
export function resourceUrn(
  name: string,
  type = "pulumi-nodejs:dynamic/cognito-roster:UserPoolRoster",
  stack = "test",
  project = DEFAULT_PROJECT,
): string {
  return `urn:pulumi:${stack}::${project}::${type}::${name}`;
}

/**
 * The provider as `pulumi.dynamic.Resource` puts it in `__provider`: `serializeFunction(() => provider,
 * {allowSecrets: true})`, text only. (The Resource wraps it in an Output marked secret when the closure captured a
 * secret; the engine strips that mark before the host sees it, since the host does not accept secrets.)
 */
export async function serializeProvider(provider: pulumi.dynamic.ResourceProvider): Promise<string> {
  const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  return serialized.text;
}

/** Drops `undefined` and non-JSON values the way the engine's marshalling does, and checks the rest is a Struct. */
function toStruct(props: Props): Struct {
  return Struct.fromJavaScript(JSON.parse(JSON.stringify(props)) as Record<string, JavaScriptValue>);
}

function fromStruct(struct: Struct | undefined): Props {
  return struct ? (struct.toJavaScript() as Props) : {};
}

/** Reads `ErrorResourceInitFailed` out of `grpc-status-details-bin`, where the host packs a partial create/update. */
function initFailureOf(metadata: grpc.Metadata | undefined): InitFailure | undefined {
  const bins = metadata?.get("grpc-status-details-bin") ?? [];
  for (const bin of bins) {
    if (typeof bin === "string") continue;
    const status = Status.deserializeBinary(new Uint8Array(bin));
    for (const detail of status.getDetailsList()) {
      if (!detail.getTypeName().endsWith("ErrorResourceInitFailed")) continue;
      const failure = pb.ErrorResourceInitFailed.deserializeBinary(detail.getValue_asU8());
      return { id: failure.getId(), properties: fromStruct(failure.getProperties()), reasons: failure.getReasonsList() };
    }
  }
  return undefined;
}

export class ProviderHost {
  private stdoutText = "";
  private stderrText = "";
  private exited = false;

  private constructor(
    private readonly child: ChildProcess,
    private readonly client: ResourceProviderClient,
    /** The port the host listens on (127.0.0.1). */
    public readonly port: number,
  ) {}

  /** Starts the host process and connects to it. Call `stop()` when done (e.g. in afterAll). */
  static async start(options: ProviderHostOptions = {}): Promise<ProviderHost> {
    const script = require.resolve("@pulumi/pulumi/cmd/dynamic-provider");
    // The engine address argument is required by the host but never dialled (pulumi/pulumi#6065).
    const child = spawn(process.execPath, [script, "127.0.0.1:1"], {
      cwd: options.cwd ?? process.cwd(),
      env: { ...process.env, PULUMI_NODEJS_PROJECT: options.project ?? DEFAULT_PROJECT, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => fail(new Error(`dynamic-provider host printed no port within ${options.startTimeoutMs ?? 20000} ms; stderr:\n${stderr}`)),
        options.startTimeoutMs ?? 20000,
      );
      const fail = (error: Error) => {
        clearTimeout(timer);
        child.kill("SIGKILL");
        reject(error);
      };
      child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
      child.stdout!.on("data", (chunk: Buffer) => {
        stdout += chunk.toString("utf8");
        const newline = stdout.indexOf("\n");
        if (newline < 0) return;
        const first = stdout.slice(0, newline).trim();
        stdout = stdout.slice(newline + 1);
        const n = Number(first);
        clearTimeout(timer);
        if (Number.isInteger(n) && n > 0) resolve(n);
        else fail(new Error(`dynamic-provider host printed "${first}" instead of a port`));
      });
      child.once("exit", (code) => fail(new Error(`dynamic-provider host exited (${code}) before printing its port; stderr:\n${stderr}`)));
    });
    // A partial create/update carries its properties — the serialised provider included — in the
    // grpc-status-details-bin trailer. grpc-js refuses metadata over 8 KB by default; the engine's Go client
    // accepts far more, so the harness does too.
    const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      "grpc.max_metadata_size": 16 * 1024 * 1024,
    });
    const host = new ProviderHost(child, client, port);
    // Keep collecting: providers print progress on stdout (console.log) and stderr (console.error).
    host.stdoutText = stdout;
    host.stderrText = stderr;
    child.stdout!.removeAllListeners("data");
    child.stderr!.removeAllListeners("data");
    child.stdout!.on("data", (chunk: Buffer) => (host.stdoutText += chunk.toString("utf8")));
    child.stderr!.on("data", (chunk: Buffer) => (host.stderrText += chunk.toString("utf8")));
    child.removeAllListeners("exit");
    child.once("exit", () => (host.exited = true));
    return host;
  }

  /** Everything the host wrote to stderr so far (providers' progress, and the host's own error traces). */
  stderr(): string {
    return this.stderrText;
  }

  /** Everything the host wrote to stdout after its port line (console.log and pulumi.log.info in a provider). */
  stdout(): string {
    return this.stdoutText;
  }

  /**
   * Waits until the host has written `text` to stderr or stdout. Output travels on a pipe and the reply on a socket,
   * so a line written just before a call returns may arrive just after it.
   */
  async waitForOutput(text: string, timeoutMs = 2000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.stderrText.includes(text) && !this.stdoutText.includes(text)) {
      if (Date.now() > deadline)
        throw new Error(`dynamic-provider host did not print "${text}" within ${timeoutMs} ms; stderr:\n${this.stderrText}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Forgets output collected so far, so a test can look at what one call printed. */
  clearOutput(): void {
    this.stdoutText = "";
    this.stderrText = "";
  }

  /**
   * The stack config, namespaced (`"cognito-roster:userPoolId"`, `"aws:region"`), structured values as JSON text —
   * as the engine sends it. The host keeps it and hands it to each provider's `configure` on first use of that
   * provider text.
   */
  configure(config: Record<string, string>): Promise<void> {
    const req = new pb.ConfigureRequest();
    req.setArgs(toStruct(config));
    req.setAcceptsecrets(true);
    req.setAcceptresources(true);
    return this.unary<pb.ConfigureResponse>("configure", (cb) => this.client.configure(req, cb)).then(() => undefined);
  }

  check(urn: string, olds: Props, news: Props): Promise<CheckResult> {
    const req = new pb.CheckRequest();
    req.setUrn(urn);
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    return this.unary<pb.CheckResponse>("check", (cb) => this.client.check(req, cb)).then((res) => ({
      inputs: fromStruct(res.getInputs()),
      failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    }));
  }

  diff(id: string, urn: string, olds: Props, news: Props): Promise<DiffResult> {
    const req = new pb.DiffRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    return this.unary<pb.DiffResponse>("diff", (cb) => this.client.diff(req, cb)).then((res) => {
      const changes = res.getChanges();
      return {
        changes:
          changes === pb.DiffResponse.DiffChanges.DIFF_SOME ? true : changes === pb.DiffResponse.DiffChanges.DIFF_NONE ? false : undefined,
        replaces: res.getReplacesList(),
        deleteBeforeReplace: res.getDeletebeforereplace(),
      };
    });
  }

  create(urn: string, props: Props): Promise<CreateResult> {
    const req = new pb.CreateRequest();
    req.setUrn(urn);
    req.setProperties(toStruct(props));
    return this.unary<pb.CreateResponse>("create", (cb) => this.client.create(req, cb)).then((res) => ({
      id: res.getId(),
      properties: fromStruct(res.getProperties()),
    }));
  }

  /** As `pulumi refresh` calls it: prior outputs in `props`, prior inputs in `inputs`. */
  read(id: string, urn: string, props: Props, inputs?: Props): Promise<ReadResult> {
    const req = new pb.ReadRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setProperties(toStruct(props));
    if (inputs) req.setInputs(toStruct(inputs));
    return this.unary<pb.ReadResponse>("read", (cb) => this.client.read(req, cb)).then((res) => ({
      id: res.getId(),
      properties: fromStruct(res.getProperties()),
      ...(res.hasInputs() ? { inputs: fromStruct(res.getInputs()) } : {}),
    }));
  }

  /** `olds` are the prior outputs (state), `news` the checked new inputs, as the engine sends them. */
  update(id: string, urn: string, olds: Props, news: Props): Promise<UpdateResult> {
    const req = new pb.UpdateRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    return this.unary<pb.UpdateResponse>("update", (cb) => this.client.update(req, cb)).then((res) => ({
      properties: fromStruct(res.getProperties()),
    }));
  }

  delete(id: string, urn: string, props: Props): Promise<void> {
    const req = new pb.DeleteRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setProperties(toStruct(props));
    return this.unary<unknown>("delete", (cb) => this.client.delete(req, cb)).then(() => undefined);
  }

  /** Closes the connection and ends the host process. */
  async stop(): Promise<void> {
    this.client.close();
    if (this.exited) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.child.kill("SIGKILL"), 5000);
      this.child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      this.child.kill("SIGTERM");
    });
  }

  private unary<R>(method: string, call: (cb: (error: grpc.ServiceError | null, response: R) => void) => void): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      if (this.exited) {
        reject(new ProviderCallError(method, `dynamic-provider host has exited; stderr:\n${this.stderrText}`, grpc.status.UNAVAILABLE));
        return;
      }
      call((error, response) => {
        if (error) reject(new ProviderCallError(method, error.details || error.message, error.code, initFailureOf(error.metadata)));
        else resolve(response);
      });
    });
  }
}
