import { execFile } from 'child_process';

/** Outputs of a CloudFormation stack, by output key. */
export type StackOutputsReader = (stackName: string, region: string) => Promise<Record<string, string>>;

/** Runs a program and returns its stdout. */
export type Run = (file: string, args: string[]) => Promise<string>;

/** Longest a program the CLI runs may take before it is stopped and the call counts as failed. */
export const PROGRAM_TIMEOUT_MS = 2 * 60_000;

/**
 * The AWS CLI's own bounds on each call, as for the CLI's SDK clients (`aws/clients.ts`): a
 * connection that does not open in 5 s, or a socket silent for 30 s, fails the call.
 */
export const AWS_CLI_TIMEOUTS = ['--cli-connect-timeout', '5', '--cli-read-timeout', '30'];

export const runProgram: Run = (file, args) => new Promise((resolve, reject) => {
  execFile(file, args, { maxBuffer: 10 * 1024 * 1024, timeout: PROGRAM_TIMEOUT_MS }, (error, stdout, stderr) => {
    const what = `${file} ${args.slice(0, 2).join(' ')}`;
    if (error && error.killed) reject(new Error(`${what} gave no answer within ${PROGRAM_TIMEOUT_MS / 1000} s and was stopped`));
    else if (error) reject(new Error(`${what} failed: ${(stderr || error.message).trim()}`));
    else resolve(stdout);
  });
});

/**
 * Reads stack outputs with the AWS CLI (`aws cloudformation describe-stacks`), with the caller's
 * credentials. The package bundles no CloudFormation client; the AWS CLI is on GitHub runners, in
 * CodeBuild images and on most workstations.
 */
export function awsCliStackOutputs(run: Run = runProgram): StackOutputsReader {
  return async (stackName, region) => {
    const stdout = await run('aws', [
      'cloudformation', 'describe-stacks', '--stack-name', stackName, '--region', region, '--output', 'json', ...AWS_CLI_TIMEOUTS,
    ]);
    const parsed = JSON.parse(stdout) as { Stacks?: { Outputs?: { OutputKey?: string; OutputValue?: string }[] }[] };
    const outputs: Record<string, string> = {};
    for (const o of parsed.Stacks?.[0]?.Outputs ?? []) {
      if (o.OutputKey && o.OutputValue !== undefined) outputs[o.OutputKey] = o.OutputValue;
    }
    return outputs;
  };
}
