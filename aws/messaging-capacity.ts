/**
 * Reading the account's messaging capacity: a narrow adapter over SESv2 GetAccount and SNS's SMS settings
 * (GetSMSSandboxAccountStatus, GetSMSAttributes). Read-only; it converts SDK shapes and decides nothing
 * (core/messaging-capacity.ts compares).
 */
import { GetAccountCommand, type SESv2Client } from "@aws-sdk/client-sesv2";
import { GetSMSAttributesCommand, GetSMSSandboxAccountStatusCommand, type SNSClient } from "@aws-sdk/client-sns";
import type { SesAccountReading } from "../core/messaging-capacity";

/** The SES account's sending quota and whether it is out of the sandbox, in the client's Region. */
export async function readSesAccount(ses: SESv2Client): Promise<SesAccountReading> {
  const out = await ses.send(new GetAccountCommand({}));
  const quota = out.SendQuota;
  return {
    productionAccess: out.ProductionAccessEnabled === true,
    max24HourSend: quota?.Max24HourSend ?? 0,
    maxSendRate: quota?.MaxSendRate ?? 0,
    sentLast24Hours: quota?.SentLast24Hours ?? 0,
  };
}

/** Whether the account is in the SNS SMS sandbox, and its MonthlySpendLimit (USD, as SNS returns it), in the client's Region. */
export async function readSmsAccount(sns: SNSClient): Promise<{ inSandbox: boolean; monthlySpendLimitUsd?: string }> {
  const sandbox = await sns.send(new GetSMSSandboxAccountStatusCommand({}));
  const attributes = await sns.send(new GetSMSAttributesCommand({ attributes: ["MonthlySpendLimit"] }));
  const limit = attributes.attributes?.MonthlySpendLimit;
  return { inSandbox: sandbox.IsInSandbox === true, ...(limit !== undefined ? { monthlySpendLimitUsd: limit } : {}) };
}
