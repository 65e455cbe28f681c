// The ARNs Lookout reports for what the AWS APIs create (log groups and streams, alarms): Lookout is one
// local account in one region, so every ARN names the same account and region.

/** The account id in every ARN. */
export const ACCOUNT_ID = '000000000000';
/** The region in every ARN. */
export const REGION = 'us-east-1';

/** `arn:aws:<service>:<region>:<account>:<resource>`, e.g. `awsArn('cloudwatch', 'alarm:cpu')`. */
export function awsArn(service: string, resource: string): string {
  return `arn:aws:${service}:${REGION}:${ACCOUNT_ID}:${resource}`;
}
