import { runCli as cli } from '../../support/cli-run';

/** The command names `aidlc --help` lists. */
async function commandNames(): Promise<string[]> {
  const { out } = await cli('--help');
  return out.split('\n').filter((l) => /^ {2}\S/.test(l)).map((l) => l.trim().split(/ {2,}/)[0]);
}

describe('--help at every level', () => {
  test('aidlc --help lists every command, exit 0; bare aidlc shows the same, exit 2', async () => {
    const names = await commandNames();
    expect(names).toEqual(['gate', 'gate run', 'profile', 'report compliance', 'pipeline start', 'pipeline status', 'pipeline train', 'model verify', 'lineage', 'github setup', 'invoke', 'smoke-test']);
    expect(await cli('-h')).toMatchObject({ code: 0, out: expect.stringContaining('Usage: aidlc <command> [options]') });
    expect(await cli()).toMatchObject({ code: 2, out: expect.stringContaining('Usage: aidlc <command> [options]') });
  });

  test('every command answers <command> --help, -h and help <command> with its usage, exit 0', async () => {
    for (const name of await commandNames()) {
      const words = name.split(' ');
      for (const argv of [[...words, '--help'], [...words, '-h'], ['help', ...words], [...words, '--wait', '--help']]) {
        const r = await cli(...argv);
        expect({ argv, code: r.code, err: r.err, first: r.out.split('\n')[0] }).toEqual({ argv, code: 0, err: '', first: expect.stringMatching(new RegExp(`^Usage: aidlc ${name}\\b`)) });
      }
    }
  });

  test('a group of commands answers --help with its own commands', async () => {
    const pipeline = await cli('pipeline', '--help');
    expect(pipeline.code).toBe(0);
    expect(pipeline.out).toContain('Usage: aidlc pipeline <command> [options]');
    expect(pipeline.out).toMatch(/ {2}pipeline start +Start the delivery pipeline/);
    expect(pipeline.out).toMatch(/ {2}pipeline status +/);
    expect(pipeline.out).toMatch(/ {2}pipeline train +/);
    expect(pipeline.out).not.toContain('gate');
    expect(pipeline.out).toContain('Run "aidlc pipeline <command> --help" for the options of a command.');
    for (const group of ['github', 'report']) {
      const r = await cli(group, '-h');
      expect(r).toMatchObject({ code: 0, out: expect.stringContaining(`Usage: aidlc ${group} <command> [options]`) });
    }
    expect(await cli('help', 'pipeline')).toMatchObject({ code: 0, out: pipeline.out });
    expect(await cli('pipeline')).toMatchObject({ code: 2, out: pipeline.out });
  });

  test('an unknown command names itself and shows the commands of its group, exit 2', async () => {
    const r = await cli('pipeline', 'strat', '--wait');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^aidlc: unknown command "pipeline strat"\n\nUsage: aidlc pipeline <command>/);
    const top = await cli('deploy');
    expect(top.code).toBe(2);
    expect(top.err).toMatch(/^aidlc: unknown command "deploy"\n\naidlc: the runtime/);
  });
});
