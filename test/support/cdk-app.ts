import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ENV, TestEnvironment } from './environments';
import { tempDir } from './temp-dirs';

/** An app that synthesizes into a fresh temporary directory, never the working directory. */
export function testApp(context: Record<string, unknown> = {}): App {
  return new App({ outdir: tempDir('aidlc-cdk-'), context });
}

/** A stack in a fixed account and region, in its own app unless one is given. */
export function testStack(id = 'Test', app: App = testApp(), env: TestEnvironment = ENV): Stack {
  return new Stack(app, id, { env });
}

/** Synthesizes the app and returns the template of a stack. */
export function templateOf(app: App, stack: Stack): Template {
  return Template.fromJSON(app.synth().getStackByName(stack.stackName).template);
}
