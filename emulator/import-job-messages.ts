/** The CompletionMessage of an import job at each of its ends (DescribeUserImportJob). */
export const JOB_MESSAGES = {
  succeeded: "Import Job Completed Successfully.",
  tooManyFailed: "Too many users have failed or been skipped during the import.",
  stopped: "The Import Job was stopped by the developer.",
  expired: "The user import job has expired.",
  roleUnassumable: "Unable to assume the CloudWatch Logs role for the import job.",
  poolDeleted: "The user pool was deleted during the import.",
  internal: "The import job failed because of an internal error.",
};
