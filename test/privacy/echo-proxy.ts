/**
 * Test support: an adversarial stand-in between the roster and the emulator. It forwards every request unchanged,
 * except the operations a test tells it to answer with an AWS error whose message echoes the request's personal
 * data — the username and every attribute value sent — as real AWS messages sometimes do ("User account already
 * exists for …"). Lets a test prove that such messages are scrubbed wherever they are printed or stored.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export interface EchoProxy {
  endpoint: string;
  /** From now on, answer this operation (e.g. "AdminUpdateUserAttributes") with an echoing 400 error. */
  echoErrorFor(operation: string): void;
  /** Forward everything again. */
  clear(): void;
  /** How many echoing errors were sent. */
  echoes(): number;
  stop(): Promise<void>;
}

export async function startEchoProxy(target: string): Promise<EchoProxy> {
  const failing = new Set<string>();
  let echoes = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const operation =
        String(req.headers["x-amz-target"] ?? "")
          .split(".")
          .pop() ?? "";
      if (failing.has(operation)) {
        echoes++;
        const message = `Cannot process ${operation} for ${echoedValues(body).join(" / ")}`;
        res.writeHead(400, { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": "InvalidParameterException" });
        res.end(JSON.stringify({ __type: "InvalidParameterException", message }));
        return;
      }
      const upstream = http.request(new URL(req.url ?? "/", target), { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on("error", () => res.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    echoErrorFor: (operation) => void failing.add(operation),
    clear: () => failing.clear(),
    echoes: () => echoes,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The username and every attribute value of a Cognito JSON request. */
function echoedValues(body: Buffer): string[] {
  try {
    const request = JSON.parse(body.toString("utf8")) as { Username?: string; UserAttributes?: { Value?: string }[] };
    return [request.Username ?? "", ...(request.UserAttributes ?? []).map((a) => a.Value ?? "")].filter((v) => v !== "");
  } catch {
    return [];
  }
}
