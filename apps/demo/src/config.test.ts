import { describe, expect, it } from 'vitest';
import { ConfigError, ENV, readConfig } from './config.js';
import { SCENARIO_NAMES } from './scenarios/scenario-list.js';

describe('readConfig', () => {
  it('defaults to running every scenario on an embedded PostgreSQL', () => {
    const config = readConfig([]);
    expect(config).toEqual({
      command: 'run',
      provider: 'pg',
      connectionString: undefined,
      scenarios: [...SCENARIO_NAMES],
      host: '127.0.0.1',
      port: 3000,
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.scenarios)).toBe(true);
  });

  it('reads the provider and the connection string', () => {
    const config = readConfig(['--provider', 'mysql', '--connection', 'Server=127.0.0.1;User ID=root']);
    expect(config.provider).toBe('mysql');
    expect(config.connectionString).toBe('Server=127.0.0.1;User ID=root');
  });

  it('accepts --option=value and a provider name in any case', () => {
    expect(readConfig(['--provider=PG', '--connection=Host=db']).provider).toBe('pg');
  });

  it('reads failover (pg, no connection string: it starts its own primary and standby)', () => {
    expect(readConfig(['failover'])).toMatchObject({
      command: 'failover',
      provider: 'pg',
      connectionString: undefined,
    });
    expect(readConfig(['failover', '--help']).command).toBe('help');
  });

  it('reads serve with a port and a host', () => {
    const config = readConfig(['serve', '--port', '0', '--host', '0.0.0.0']);
    expect(config).toMatchObject({ command: 'serve', port: 0, host: '0.0.0.0' });
  });

  it('turns --help into the help command', () => {
    expect(readConfig(['--help']).command).toBe('help');
    expect(readConfig(['serve', '-h']).command).toBe('help');
  });

  it('runs the scenarios --only names, in the demo order', () => {
    expect(readConfig(['--only', 'cancellation, polling']).scenarios).toEqual(['polling', 'cancellation']);
  });

  it('reads the environment, and the command line wins over it', () => {
    const env = { [ENV.provider]: 'mysql', [ENV.connection]: 'Server=db', [ENV.port]: '8080' };
    expect(readConfig([], env)).toMatchObject({ provider: 'mysql', connectionString: 'Server=db', port: 8080 });
    expect(readConfig(['--provider', 'pg', '--connection', 'Host=x', '--port', '1'], env)).toMatchObject({
      provider: 'pg',
      connectionString: 'Host=x',
      port: 1,
    });
  });

  it('treats empty environment variables as unset', () => {
    expect(readConfig([], { [ENV.provider]: '', [ENV.connection]: ' ' })).toMatchObject({
      provider: 'pg',
      connectionString: undefined,
    });
  });

  describe('bad input is a ConfigError with exit code 2 and a message that says what to do', () => {
    const cases: Array<[string, string[], RegExp]> = [
      ['an unknown option', ['--colour'], /Unknown option '--colour'.*--help/],
      ['an option without its value', ['--provider'], /--provider.*argument missing|argument missing.*--provider/i],
      [
        'an unknown provider',
        ['--provider', 'oracle'],
        /Unknown provider 'oracle'. Use one of: pg, mysql, mssql, sqlite\./,
      ],
      ['an unknown command', ['deploy'], /Unknown command 'deploy'/],
      ['two commands', ['serve', 'run'], /at most one command/],
      ['failover on another provider', ['failover', '--provider', 'sqlite'], /failover runs on pg only/],
      [
        'failover with a connection string',
        ['failover', '--connection', 'Host=x'],
        /failover starts its own PostgreSQL primary and standby: leave --connection out/,
      ],
      [
        'mysql without a connection string',
        ['--provider', 'mysql'],
        /--provider mysql needs --connection .*only PostgreSQL has an embedded server.*Server=127\.0\.0\.1/,
      ],
      ['mssql without a connection string', ['--provider', 'mssql'], /--provider mssql needs --connection/],
      ['an empty connection string', ['--connection', ''], /--connection is empty/],
      [
        'an unknown scenario',
        ['--only', 'polling,teleport'],
        /Unknown scenario 'teleport'. Use: polling, wait-handles/,
      ],
      ['an empty scenario list', ['--only', ','], /--only is empty/],
      ['a port that is not a number', ['--port', 'eighty'], /Invalid port 'eighty': use a number from 0 to 65535/],
      ['a port out of range', ['--port', '70000'], /Invalid port '70000'/],
    ];
    it.each(cases)('%s', (_name, argv, message) => {
      let caught: unknown;
      try {
        readConfig(argv);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ConfigError);
      expect((caught as ConfigError).name).toBe('ConfigError');
      expect((caught as ConfigError).exitCode).toBe(2);
      expect((caught as ConfigError).message).toMatch(message);
    });
  });
});
