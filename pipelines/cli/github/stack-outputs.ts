import { execFile } from 'child_process';

/** Outputs of a CloudFormation stack, by output key. */
export type StackOutputsReader = (stackName: string, region: string) => Promise<Record<string, string>>;

/** Runs a program and returns its stdout. */
export type Run = (file: string, args: string[]) => Promise<string>;

export const runProgram: Run = (file, args) => new Promise((resolve, reject) => {
  execFile(file, args, { maxBuffer: 10 * 1024 * 1024 }, (error, stdout, stderr) => {
    if (error) reject(new Error(`${file} ${args.slice(0, 2).join(' ')} failed: ${(stderr || error.message).trim()}`));
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
      'cloudformation', 'describe-stacks', '--stack-name', stackName, '--region', region, '--output', 'json',
    ]);
    const parsed = JSON.parse(stdout) as { Stacks?: { Outputs?: { OutputKey?: string; OutputValue?: string }[] }[] };
    const outputs: Record<string, string> = {};
    for (const o of parsed.Stacks?.[0]?.Outputs ?? []) {
      if (o.OutputKey && o.OutputValue !== undefined) outputs[o.OutputKey] = o.OutputValue;
    }
    return outputs;
  };
}
