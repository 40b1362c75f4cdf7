import { parseGithubRepository } from '../../src/config/rules/identity';
import { problemAt, problemsOf } from '../support/configs';

describe('identity rules', () => {
  test('a valid minimal config has no problems', () => {
    expect(problemsOf({})).toEqual([]);
  });

  test.each(['Churn', 'my_model', 'ab', '1churn', 'churn-', 'a'.repeat(33)])('modelName %j is rejected with a suggestion', (name) => {
    const p = problemAt(problemsOf({ modelName: name }), 'modelName');
    expect(p.value).toBe(name);
    expect(p.fix).toMatch(/^use /);
  });

  test('modelName suggestion turns underscores and capitals into a valid name', () => {
    expect(problemAt(problemsOf({ modelName: 'My_Model' }), 'modelName').fix).toBe('use "my-model"');
  });

  test.each([
    ['acme/churn', 'acme', 'churn'],
    ['https://github.com/acme/churn.git', 'acme', 'churn'],
    ['git@github.com:acme/churn.git', 'acme', 'churn'],
    ['https://github.com/acme/churn', 'acme', 'churn'],
  ])('githubRepository %j parses to owner/name', (value, owner, name) => {
    expect(parseGithubRepository(value)).toEqual({ owner, name });
    expect(problemsOf({ githubRepository: value })).toEqual([]);
  });

  test.each(['churn', 'acme/churn/extra', 'https://gitlab.com/acme/churn', ''])('githubRepository %j is rejected', (value) => {
    expect(problemAt(problemsOf({ githubRepository: value }), 'githubRepository').fix).toContain('owner/name');
  });

  test.each(['us-east-1', 'eu-west-3', 'ap-southeast-2', 'us-gov-west-1'])('region %s is accepted (with its S3 prefix list where the table lacks it)', (region) => {
    expect(problemsOf({ awsRegion: region, network: { s3PrefixListId: 'pl-0123abcd' } })).toEqual([]);
  });

  test.each(['us-east', 'US-EAST-1', 'useast1', 'us-east-1a'])('malformed region %s is rejected', (region) => {
    const p = problemAt(problemsOf({ awsRegion: region }), 'awsRegion');
    expect(p.message).toBe('is not an AWS region');
    expect(p.fix).toContain('eu-west-1');
  });

  test('account must be 12 digits', () => {
    expect(problemsOf({ awsAccount: '123456789012' })).toEqual([]);
    expect(problemAt(problemsOf({ awsAccount: '12345' }), 'awsAccount').message).toContain('12-digit');
  });

  test('connection ARN accepts both service prefixes and rejects others', () => {
    const id = '0b2c7a1e-1d2f-4c3b-9a8d-7e6f5a4b3c2d';
    expect(problemsOf({ githubConnectionArn: `arn:aws:codeconnections:us-east-1:123456789012:connection/${id}` })).toEqual([]);
    expect(problemsOf({ githubConnectionArn: `arn:aws:codestar-connections:us-east-1:123456789012:connection/${id}` })).toEqual([]);
    problemAt(problemsOf({ githubConnectionArn: 'arn:aws:s3:::bucket' }), 'githubConnectionArn');
  });
});

describe('region and the training image map', () => {
  test('a well-formed region without framework images is refused unless the image is your own', () => {
    const p = problemAt(problemsOf({ awsRegion: 'us-isob-east-1' }), 'awsRegion');
    expect(p.message).toContain('no SageMaker framework training images');
    expect(problemsOf({ awsRegion: 'xx-nowhere-1' }).map((x) => x.path)).toEqual(['awsRegion']);
  });
});
