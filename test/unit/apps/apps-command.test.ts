import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AppsArgsError, parseAppsArgs, runAppsCommand } from '../../../scripts/apps/registry-command';

const ssmMock = mockClient(SSMClient);
const NAME = '/clickstream/ClickstreamCollector/app-ids';
const registered = (value: string) => ({ Parameter: { Name: NAME, Type: 'String' as const, Value: value } });

describe('npm run apps (mocked SSM client)', () => {
  const ssm = new SSMClient({ region: 'us-east-1' });
  beforeEach(() => ssmMock.reset());

  it('lists the registered apps', async () => {
    ssmMock.on(GetParameterCommand, { Name: NAME }).resolves(registered('shop,blog'));
    expect(await runAppsCommand(ssm, parseAppsArgs(['list']))).toEqual(['shop', 'blog']);
  });

  it('adds an app and prints the list before and after', async () => {
    ssmMock.on(GetParameterCommand).resolves(registered('shop'));
    const lines = await runAppsCommand(ssm, parseAppsArgs(['add', 'new_app']));
    expect(ssmMock.commandCalls(PutParameterCommand)[0]?.args[0].input).toMatchObject({
      Name: NAME,
      Value: 'shop,new_app',
      Overwrite: true,
    });
    expect(lines.join('\n')).toMatch(/added new_app[\s\S]*before: shop[\s\S]*after: {2}shop, new_app/);
  });

  it('removes an app', async () => {
    ssmMock.on(GetParameterCommand).resolves(registered('shop,blog'));
    await runAppsCommand(ssm, parseAppsArgs(['remove', 'shop', '--stack', 'Other']));
    expect(ssmMock.commandCalls(PutParameterCommand)[0]?.args[0].input).toMatchObject({
      Name: '/clickstream/Other/app-ids',
      Value: 'blog',
    });
  });

  it('changes nothing when the app is already there, or the last one would go', async () => {
    ssmMock.on(GetParameterCommand).resolves(registered('shop'));
    expect((await runAppsCommand(ssm, parseAppsArgs(['add', 'shop'])))[0]).toMatch(/already registered/);
    expect((await runAppsCommand(ssm, parseAppsArgs(['remove', 'shop'])))[0]).toMatch(/last registered app/);
    expect(ssmMock.commandCalls(PutParameterCommand)).toHaveLength(0);
  });

  it.each([
    [['add', 'bad id']],
    [['add']],
    [['drop', 'shop']],
    [['list', '--stack']],
    [['list', '--bogus', 'x']],
  ])('refuses %j with a usage error, before any call', (argv) => {
    expect(() => parseAppsArgs(argv)).toThrow(AppsArgsError);
  });

  it('takes the parameter name as given', () => {
    expect(parseAppsArgs(['list', '--parameter', '/my/apps']).parameterName).toBe('/my/apps');
  });
});
