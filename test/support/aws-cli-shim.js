#!/usr/bin/env node
/**
 * A stand-in for the AWS CLI where it is not installed, for test/docs/first-sign-in-guide.test.ts only: the few
 * `aws cognito-idp` commands docs/first-sign-in.md uses, sent with the unmodified AWS SDK to AWS_ENDPOINT_URL.
 * Flags as the CLI takes them: `--kebab-case value` (several values make a list), `--auth-parameters K=V,K=V` (and
 * `--challenge-responses`), `--query A.B` or `--query '[A,B]'` and `--output text` (a list: its values tab-separated); an AWS error prints the CLI's one line on stderr and exits 254, as the CLI does.
 */
const sdk = require("@aws-sdk/client-cognito-identity-provider");

const OPERATIONS = {
  "create-user-pool-client": "CreateUserPoolClient",
  "describe-user-pool": "DescribeUserPool",
  "initiate-auth": "InitiateAuth",
  "forgot-password": "ForgotPassword",
  "confirm-forgot-password": "ConfirmForgotPassword",
  "respond-to-auth-challenge": "RespondToAuthChallenge",
};
/** Shorthand maps, `K=V,K=V`. */
const MAPS = new Set(["auth-parameters", "challenge-responses"]);
const LISTS = new Set(["explicit-auth-flows"]);

async function main(argv) {
  const [service, command, ...rest] = argv;
  const operation = OPERATIONS[command];
  if (service !== "cognito-idp" || !operation) throw new Error(`aws-cli-shim: not supported: ${argv.join(" ")}`);
  const input = {};
  let query;
  let output = "json";
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i].slice(2);
    const values = [];
    while (i + 1 < rest.length && !rest[i + 1].startsWith("--")) values.push(rest[++i]);
    if (flag === "query") query = values[0];
    else if (flag === "output") output = values[0];
    else if (flag === "endpoint-url") process.env.AWS_ENDPOINT_URL = values[0];
    else {
      const key = flag.replace(/(^|-)([a-z])/g, (_, __, c) => c.toUpperCase());
      input[key] = MAPS.has(flag)
        ? Object.fromEntries(values[0].split(",").map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]))
        : LISTS.has(flag)
          ? values
          : values[0];
    }
  }
  const client = new sdk.CognitoIdentityProviderClient({ region: process.env.AWS_DEFAULT_REGION, maxAttempts: 1 });
  try {
    const { $metadata, ...result } = await client.send(new sdk[`${operation}Command`](input));
    const pick = (path) => path.split(".").reduce((v, part) => v?.[part], result);
    const list = query && /^\[(.+)\]$/.exec(query);
    const value = list ? list[1].split(",").map(pick) : query ? pick(query) : result;
    const text = Array.isArray(value) && value.every((v) => typeof v !== "object") ? value.join("\t") : value;
    process.stdout.write(output === "text" && typeof text !== "object" ? `${text}\n` : `${JSON.stringify(value, null, 4)}\n`);
  } catch (err) {
    if (!err.$metadata) throw err;
    process.stderr.write(`\nAn error occurred (${err.name}) when calling the ${operation} operation: ${err.message}\n`);
    process.exitCode = 254;
  } finally {
    client.destroy();
  }
}

main(process.argv.slice(2)).catch((err) => {
  process.stderr.write(`${err.message}\n`);
  process.exitCode = 255;
});
