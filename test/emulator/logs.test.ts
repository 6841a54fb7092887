/** CloudWatch Logs (Logs_20140328) as the import writes it: streams, paging, filtering, validation, errors. */
import { DescribeLogStreamsCommand, FilterLogEventsCommand, GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { csvOf, runImport, startHarness, stopHarness, testProfile, userValues, type Harness } from "./helpers";

const POOL = testProfile().userPoolId;
const GROUP = `/aws/cognito/userpools/${POOL}/trainee-pool`;
let h: Harness;
let jobIds: string[];
beforeAll(async () => {
  h = await startHarness({ failureThreshold: 100 });
  const a = await runImport(h, await csvOf(h, [userValues(1), userValues(2, { email_verified: "false" })]), POOL, "a");
  const b = await runImport(h, await csvOf(h, [userValues(1), userValues(3)]), POOL, "b");
  jobIds = [a.job.JobId as string, b.job.JobId as string];
});
afterAll(async () => stopHarness(h));

test("DescribeLogStreams lists one stream per job, JOB_ID/JOB_NAME, with event timestamps in ms", async () => {
  const out = await h.logs.send(new DescribeLogStreamsCommand({ logGroupName: GROUP }));
  expect(out.logStreams?.map((s) => s.logStreamName).sort()).toEqual([`${jobIds[0]}/a`, `${jobIds[1]}/b`].sort());
  expect(out.logStreams?.[0].lastEventTimestamp).toBe(h.now.ms);
  const prefixed = await h.logs.send(new DescribeLogStreamsCommand({ logGroupName: GROUP, logStreamNamePrefix: jobIds[1] }));
  expect(prefixed.logStreams).toHaveLength(1);
});

test("DescribeLogStreams paging with limit and nextToken", async () => {
  const first = await h.logs.send(new DescribeLogStreamsCommand({ logGroupName: GROUP, limit: 1 }));
  expect(first.logStreams).toHaveLength(1);
  const second = await h.logs.send(new DescribeLogStreamsCommand({ logGroupName: GROUP, limit: 1, nextToken: first.nextToken }));
  expect(second.logStreams).toHaveLength(1);
  expect(second.nextToken).toBeUndefined();
});

test("a missing log group → ResourceNotFoundException", async () => {
  await expect(h.logs.send(new DescribeLogStreamsCommand({ logGroupName: "/aws/cognito/userpools/none/x" }))).rejects.toMatchObject({
    name: "ResourceNotFoundException",
    message: "The specified log group does not exist.",
  });
});

test("Logs model validation uses the same message format", async () => {
  await expect(h.logs.send(new DescribeLogStreamsCommand({ logGroupName: GROUP, limit: 51 }))).rejects.toMatchObject({
    name: "InvalidParameterException",
    message:
      "1 validation error detected: Value '51' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50",
  });
});

test("GetLogEvents without startFromHead returns the latest events", async () => {
  const out = await h.logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: `${jobIds[1]}/b`, limit: 1 }));
  expect(out.events?.map((e) => e.message)).toEqual(["[SUCCEEDED] Line Number 2 - The import succeeded."]);
});

test("FilterLogEvents across the group with a phrase, and by stream prefix", async () => {
  const skipped = await h.logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: '"The user already exists."' }));
  expect(skipped.events?.map((e) => [e.logStreamName, e.message])).toEqual([
    [`${jobIds[1]}/b`, "[SKIPPED] Line Number 1 - The user already exists."],
  ]);
  const byPrefix = await h.logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, logStreamNamePrefix: jobIds[0] }));
  expect(byPrefix.events).toHaveLength(2);
  const paged = await h.logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, limit: 3 }));
  expect(paged.events).toHaveLength(3);
  const rest = await h.logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, limit: 3, nextToken: paged.nextToken }));
  expect(rest.events).toHaveLength(1);
  expect(rest.nextToken).toBeUndefined();
});
