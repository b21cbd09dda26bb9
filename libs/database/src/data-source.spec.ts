import { connectWithRetry, createDataSource, describeDatabaseUrl } from './data-source';

describe('connectWithRetry', () => {
  it('logs one clear line per failed attempt, without the password, then gives up with the reason', async () => {
    // Port 1 on loopback: nothing listens there, so every attempt is refused at once.
    const url = 'postgres://cairn:s3cret-pw@127.0.0.1:1/cairn';
    const ds = createDataSource({ url, entities: [] });
    const lines: string[] = [];
    await expect(
      connectWithRetry(ds, { attempts: 3, delayMs: 5, describe: describeDatabaseUrl(url), log: (l) => lines.push(l) }),
    ).rejects.toThrow('database unreachable at 127.0.0.1:1/cairn after 3 attempts (ECONNREFUSED)');
    expect(lines).toEqual([
      'database unreachable at 127.0.0.1:1/cairn (ECONNREFUSED); retrying in 5 ms (attempt 1)',
      'database unreachable at 127.0.0.1:1/cairn (ECONNREFUSED); retrying in 5 ms (attempt 2)',
    ]);
    expect(lines.join('\n')).not.toContain('s3cret-pw');
  });
});
