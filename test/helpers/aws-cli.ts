// The Debian AWS CLI (`/usr/bin/aws`, not the `aws` shim first on PATH) run against a test server with
// throwaway credentials and no user configuration, asynchronously (an in-process server shares the loop).

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The CLI binary; tests skip when it is absent. */
export const AWS_CLI = '/usr/bin/aws';
/** Whether the CLI is installed. */
export const hasAwsCli = existsSync(AWS_CLI);

/** What a CLI run printed and its exit code. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `aws --endpoint-url <endpoint> --output json <args>` with `home` as HOME; never rejects. */
export function awsCli(endpoint: string, home: string, args: string[]): Promise<CliResult> {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
  };
  return new Promise((resolve) => {
    execFile(AWS_CLI, ['--endpoint-url', endpoint, '--output', 'json', ...args], { env, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}
