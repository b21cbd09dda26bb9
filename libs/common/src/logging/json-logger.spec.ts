import { JsonLogger } from './json-logger';
import { requestContext } from './request-context';

describe('JsonLogger', () => {
  it('writes one JSON object per line with level, context and the request id of the running request', () => {
    const lines: string[] = [];
    const logger = new JsonLogger('info', (l) => lines.push(l));
    requestContext.run({ requestId: 'req-42' }, () => logger.log('published 3 objects', 'Intel'));
    logger.debug('not written below the level');
    logger.warn('outside a request');
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ level: 'info', msg: 'published 3 objects', context: 'Intel', requestId: 'req-42' }),
      expect.objectContaining({ level: 'warn', msg: 'outside a request' }),
    ]);
    expect(JSON.parse(lines[1]).requestId).toBeUndefined();
  });

  it('keeps the stack of an error in the log (never in responses)', () => {
    const lines: string[] = [];
    new JsonLogger('info', (l) => lines.push(l)).error(new Error('boom'), 'GraphQL');
    const entry = JSON.parse(lines[0]);
    expect(entry).toMatchObject({ level: 'error', msg: 'boom', context: 'GraphQL' });
    expect(entry.stack).toContain('json-logger.spec');
  });
});
