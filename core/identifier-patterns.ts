/**
 * The shapes of identifiers and names the roster checks in more than one place, defined once: a user pool id, an
 * IAM role ARN, an attribute name an office can be read from, a users file name, an ISO date. Pure constants.
 * (The emulator keeps its own copies on purpose: it is an independent reading of the AWS documentation.)
 */

/** `<region>_<id>`, e.g. `eu-west-2_AbC123xyZ` (UserPoolIdType). */
export const USER_POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;

/** An IAM role ARN (ArnType, restricted to roles): `arn:<partition>:iam::<12-digit account>:role/<path and name>`. */
export const IAM_ROLE_ARN = /^arn:[\w+=/,.@-]+:iam::[0-9]{12}:role\/[\w+=/,.@-]+$/;

/** An attribute a user's office can be read from: a custom attribute (`custom:` and up to 20 characters) or a standard one. */
export const ATTRIBUTE_NAME = /^(custom:[\w-]{1,20}|[a-z_]+)$/;

/** A plain users file name (no folder): letters, digits, `_`, `.`, `-`, ending `.yaml` or `.yml`. */
export const USERS_FILE_NAME = /^[\w.-]+\.ya?ml$/;

/** An ISO calendar date as written, `yyyy-mm-dd`, capturing year, month and day (whether it exists is checked apart). */
export const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
