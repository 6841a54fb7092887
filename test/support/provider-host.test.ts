/**
 * Proves the gRPC harness against a tiny provider: the calls the engine makes reach the provider as the host loads
 * it (from its serialised text, in another process), and what comes back — failures, diffs, outputs, errors,
 * partial failures, preview-time unknowns, progress output — is what the engine would see.
 */
import type * as pulumi from "@pulumi/pulumi";
import { ProviderHost, ProviderCallError, resourceUrn, serializeProvider, UNKNOWN, type Props } from "./provider-host";

/**
 * A counter resource: `name` is required and lower case; `count` changes mean an update; `fail` makes create/update
 * throw, `partial` makes create throw after "creating" it. Progress goes to stderr, as a real provider's would.
 * Everything it uses is inside its methods, so it serialises cleanly.
 */
const counterProvider: pulumi.dynamic.ResourceProvider = {
  async configure(req: pulumi.dynamic.ConfigureRequest) {
    process.env.COUNTER_REGION = String(req.config.get("aws:region") ?? "");
  },
  async check(_olds: Props, news: Props) {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (typeof news.name !== "string") failures.push({ property: "name", reason: "users/example/team.yaml:1:1: name is required" });
    else if (news.name !== news.name.toLowerCase())
      failures.push({ property: "name", reason: `users/example/team.yaml:2:7: ${news.name} must be lower case` });
    return { inputs: news, failures };
  },
  async diff(_id: string, olds: Props, news: Props) {
    return { changes: olds.count !== news.count || olds.name !== news.name, replaces: olds.name !== news.name ? ["name"] : [] };
  },
  async create(inputs: Props) {
    process.stderr.write(`counter: creating ${String(inputs.name)}\n`);
    console.log(`counter: stdout line for ${String(inputs.name)}`);
    if (inputs.fail) throw new Error(`counter ${String(inputs.name)}: refused by the test`);
    if (inputs.partial) {
      throw Object.assign(new Error("counter: 2 of 3 applied"), {
        id: `counter-${String(inputs.name)}`,
        properties: { applied: 2 },
        reasons: ["users/example/team.yaml:9:3: rejected"],
      });
    }
    return {
      id: `counter-${String(inputs.name)}`,
      outs: {
        name: inputs.name,
        count: inputs.count,
        region: process.env.COUNTER_REGION,
        sawUnknown: inputs.count === "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
      },
    };
  },
  async update(_id: string, olds: Props, news: Props) {
    if (news.fail) throw new Error("counter: update refused by the test");
    return { outs: { name: news.name, count: news.count, region: olds.region, updates: Number(olds.updates ?? 0) + 1 } };
  },
  async read(id: string, props: Props) {
    return { id, props: { ...props, refreshed: true } };
  },
  async delete(_id: string, props: Props) {
    process.stderr.write(`counter: forgetting ${String(props.name)}\n`);
  },
};

describe("ProviderHost (Pulumi's dynamic-provider host over gRPC)", () => {
  let host: ProviderHost;
  let provider: string;
  const urn = resourceUrn("counter");

  beforeAll(async () => {
    provider = await serializeProvider(counterProvider);
    host = await ProviderHost.start({ env: { AWS_ENDPOINT_URL: "http://127.0.0.1:9" } });
    await host.configure({ "aws:region": "eu-west-2", "cognito-roster:userPoolId": "eu-west-2_Example1" });
  });
  afterAll(async () => {
    await host?.stop();
  });

  it("serialises the provider as a CommonJS module with a handler, as dynamic.Resource does", () => {
    expect(provider).toContain("exports.handler");
    expect(provider).not.toContain("jest");
  });

  it("returns check failures with their reasons", async () => {
    const res = await host.check(urn, {}, { __provider: provider, name: "Alpha" });
    expect(res.failures).toEqual([{ property: "name", reason: "users/example/team.yaml:2:7: Alpha must be lower case" }]);
    const missing = await host.check(urn, {}, { __provider: provider });
    expect(missing.failures[0]).toMatchObject({ property: "name" });
  });

  it("passes checked inputs back with __provider", async () => {
    const res = await host.check(urn, {}, { __provider: provider, name: "alpha", count: 1 });
    expect(res.failures).toEqual([]);
    expect(res.inputs).toEqual({ __provider: provider, name: "alpha", count: 1 });
  });

  it("answers diff with changes true or false", async () => {
    const olds = { __provider: provider, name: "alpha", count: 1 };
    expect((await host.diff("counter-alpha", urn, olds, { ...olds, count: 2 })).changes).toBe(true);
    expect((await host.diff("counter-alpha", urn, olds, { ...olds })).changes).toBe(false);
    expect((await host.diff("counter-alpha", urn, olds, { ...olds, name: "beta" })).replaces).toEqual(["name"]);
  });

  it("round-trips create → read → update → delete, with configure's config and progress on stderr", async () => {
    host.clearOutput();
    const created = await host.create(urn, { __provider: provider, name: "alpha", count: 1 });
    expect(created.id).toBe("counter-alpha");
    expect(created.properties).toEqual({ __provider: provider, name: "alpha", count: 1, region: "eu-west-2", sawUnknown: false });
    await host.waitForOutput("counter: creating alpha");
    await host.waitForOutput("counter: stdout line for alpha");
    expect(host.stderr()).toContain("counter: creating alpha");
    expect(host.stdout()).toContain("counter: stdout line for alpha");

    const read = await host.read(created.id, urn, created.properties, { __provider: provider, name: "alpha", count: 1 });
    expect(read).toMatchObject({ id: "counter-alpha", properties: { refreshed: true, __provider: provider } });

    const updated = await host.update(created.id, urn, created.properties, { __provider: provider, name: "alpha", count: 2 });
    expect(updated.properties).toEqual({ __provider: provider, name: "alpha", count: 2, region: "eu-west-2", updates: 1 });

    await host.delete(created.id, urn, updated.properties);
    await host.waitForOutput("counter: forgetting alpha");
  });

  it("surfaces a failing create as an Error with the provider's message", async () => {
    const failing = host.create(urn, { __provider: provider, name: "gamma", fail: true });
    await expect(failing).rejects.toThrow("counter gamma: refused by the test");
    await expect(failing).rejects.toMatchObject({ name: "ProviderCallError", method: "create", initFailure: undefined });
    await expect(host.update("counter-gamma", urn, {}, { __provider: provider, name: "gamma", fail: true })).rejects.toThrow(
      "counter: update refused by the test",
    );
  });

  it("reports a partial create (error with id, properties, reasons) as the engine receives it", async () => {
    const error = await host.create(urn, { __provider: provider, name: "delta", partial: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderCallError);
    expect((error as ProviderCallError).message).toBe("counter: 2 of 3 applied");
    expect((error as ProviderCallError).initFailure).toEqual({
      id: "counter-delta",
      properties: { applied: 2 },
      reasons: ["users/example/team.yaml:9:3: rejected"],
    });
  });

  it("hands preview-time unknowns to check and diff as the sentinel string, untouched", async () => {
    // In `pulumi preview` before the logs role exists, its ARN is unknown: the provider sees this string.
    const checked = await host.check(urn, {}, { __provider: provider, name: "alpha", count: UNKNOWN });
    expect(checked.inputs.count).toBe(UNKNOWN);
    const diff = await host.diff(
      "counter-alpha",
      urn,
      { __provider: provider, name: "alpha", count: 1 },
      { __provider: provider, name: "alpha", count: UNKNOWN },
    );
    expect(diff.changes).toBe(true);
    // A __provider that is itself unknown makes the host load the provider from the olds instead.
    const fromOlds = await host.check(urn, { __provider: provider, name: "alpha" }, { __provider: UNKNOWN, name: "alpha" });
    expect(fromOlds.failures).toEqual([]);
  });

  it("reports an unloadable provider as an error, not a hang", async () => {
    await expect(
      host.check(urn, {}, { __provider: "exports.handler = () => { throw new Error('broken provider text'); };", name: "x" }),
    ).rejects.toThrow("broken provider text");
  });
});
