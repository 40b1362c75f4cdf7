import { PINNED_ACTIONS, findPin, pinnedUses } from '../../src/github/pinned-actions';
import { addVersionComments } from '../../src/github/version-comments';

describe('PINNED_ACTIONS', () => {
  test('one row per action, each a full 40-hex commit with a release version and where it was checked', () => {
    const actions = PINNED_ACTIONS.map((p) => p.action);
    expect(new Set(actions).size).toBe(actions.length);
    for (const pin of PINNED_ACTIONS) {
      expect(pin.sha).toMatch(/^[0-9a-f]{40}$/);
      expect(pin.version).toMatch(/^v\d+\.\d+\.\d+$/);
      expect(pin.verifiedIn.length).toBeGreaterThan(20);
    }
  });

  test('covers the actions the generated workflows and projen\'s own workflows use', () => {
    expect(PINNED_ACTIONS.map((p) => p.action).sort()).toEqual([
      'actions/checkout',
      'actions/download-artifact',
      'actions/setup-node',
      'actions/upload-artifact',
      'amannn/action-semantic-pull-request',
      'aws-actions/configure-aws-credentials',
      'github/codeql-action/upload-sarif',
      'peter-evans/create-pull-request',
    ]);
  });

  test('pinnedUses names the commit; an action without a pin is an error', () => {
    expect(pinnedUses('actions/checkout')).toBe('actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1');
    expect(() => pinnedUses('aquasecurity/trivy-action')).toThrow(/No pinned commit for GitHub Action "aquasecurity\/trivy-action"/);
  });

  test('findPin knows a pinned ref and nothing else', () => {
    expect(findPin('github/codeql-action/upload-sarif@24c54180a607b1449ed407dd24f251e4e9147c8d')?.version).toBe('v4.38.3');
    expect(findPin('actions/checkout@v7')).toBeUndefined();
    expect(findPin('actions/checkout@24c54180a607b1449ed407dd24f251e4e9147c8d')).toBeUndefined();
    expect(findPin('actions/checkout')).toBeUndefined();
  });
});

describe('addVersionComments', () => {
  test('appends the version to pinned uses: lines only', () => {
    const yaml = [
      'steps:',
      '  - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1',
      '  - name: x',
      '    uses: aws-actions/configure-aws-credentials@e1253824e5c10ff9df46874f81ed3ec929e19cfd',
      '  - uses: actions/checkout@v7',
      '  - run: echo "uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1"',
      '',
    ].join('\n');
    expect(addVersionComments(yaml).split('\n')).toEqual([
      'steps:',
      '  - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1',
      '  - name: x',
      '    uses: aws-actions/configure-aws-credentials@e1253824e5c10ff9df46874f81ed3ec929e19cfd # v6.3.0',
      '  - uses: actions/checkout@v7',
      '  - run: echo "uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1"',
      '',
    ]);
  });
});
