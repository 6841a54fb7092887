/**
 * The provider Pulumi stores in the state is a thin shim: a few KB that load the engine from the project at call
 * time. So after the engine changes, `up` (create/update), `refresh` (read) and the `destroy` of a resource removed
 * from the program — which Pulumi runs with the provider text stored in the state — all run the NEW engine.
 *
 * Each "pulumi command" here is a fresh dynamic-provider host, as it is under the Pulumi CLI; the engine is a stub
 * in a temporary project root that says which version it is, so no AWS (or emulator) is involved.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { userPoolRosterProvider } from "../../providers/user-pool-roster-provider";
import { installEngineEntry } from "../support/engine-entry";
import { ProviderHost, resourceUrn, serializeProvider } from "../support/provider-host";

const URN = resourceUrn("trainees");

/** A stand-in engine that stamps its version on every answer and announces deletes on stderr. */
function stubEngine(version: string): string {
  return `"use strict";
const VERSION = ${JSON.stringify(version)};
exports.userPoolRosterEngine = {
  check: async (_olds, news) => ({ inputs: news, failures: [] }),
  diff: async () => ({ changes: true }),
  create: async () => ({ id: "pool/roster", outs: { engine: VERSION } }),
  update: async () => ({ outs: { engine: VERSION } }),
  read: async (id, props) => ({ id, props: { ...props, engine: VERSION } }),
  delete: async () => { process.stderr.write("engine " + VERSION + " deleted\\n"); },
};
`;
}

let projectRoot: string;
let providerText: string;
const hosts: ProviderHost[] = [];

/** One Pulumi command's host, in the project root. */
async function pulumiCommand(): Promise<ProviderHost> {
  const host = await ProviderHost.start({ cwd: projectRoot });
  hosts.push(host);
  return host;
}

beforeAll(async () => {
  projectRoot = mkdtempSync(path.join(tmpdir(), "roster-thin-"));
  providerText = await serializeProvider(userPoolRosterProvider);
});

afterAll(async () => {
  for (const host of hosts) await host.stop();
  rmSync(projectRoot, { recursive: true, force: true });
});

test("the serialised provider is under 10 KB and carries no engine, core or AWS code", () => {
  expect(providerText.length).toBeLessThan(10 * 1024);
  expect(providerText).toContain("roster-engine-entry.js");
  for (const engineCode of ["loadRoster", "planRoster", "applyRoster", "CognitoIdentityProvider", "rosterDigest(", "ajv"]) {
    expect(providerText).not.toContain(engineCode);
  }
});

test("after an engine change, up, refresh and the destroy of a removed resource all run the new engine", async () => {
  installEngineEntry(projectRoot, stubEngine("v1"));
  const first = await pulumiCommand();
  const created = await first.create(URN, { __provider: providerText, usersDir: "users" });
  expect(created.properties.engine).toBe("v1");
  // What the state keeps as the provider is the shim, not the engine.
  const state = created.properties;
  expect(state.__provider).toBe(providerText);
  await first.stop();

  installEngineEntry(projectRoot, stubEngine("v2"));
  // pulumi up: the update runs the new engine.
  const up = await pulumiCommand();
  expect((await up.update(created.id, URN, state, { __provider: providerText, usersDir: "users" })).properties.engine).toBe("v2");
  await up.stop();
  // pulumi refresh: the read runs the new engine with the provider stored in the state.
  const refresh = await pulumiCommand();
  expect((await refresh.read(created.id, URN, state)).properties.engine).toBe("v2");
  await refresh.stop();
  // pulumi up after the resource left the program: the delete runs with the state's provider, and the new engine.
  const destroy = await pulumiCommand();
  await destroy.delete(created.id, URN, state);
  await destroy.waitForOutput("engine v2 deleted");
  expect(destroy.stderr()).not.toContain("engine v1");
});

test("without a build, every call fails with one message saying how to make it", async () => {
  const empty = mkdtempSync(path.join(tmpdir(), "roster-unbuilt-"));
  try {
    const host = await ProviderHost.start({ cwd: empty });
    hosts.push(host);
    const failure = await host.create(URN, { __provider: providerText }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(failure?.message).toMatch(
      /cognito-roster: the compiled engine .*dist\/providers\/roster-engine-entry\.js is missing: run `npm ci` or `npm run build`/,
    );
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});
