import { CairnError } from '../errors/cairn-error';
import { checkArguments, InvalidArgumentsError, pageSizeProblem } from './paging';

describe('paging rule', () => {
  const rule = { argument: 'first', max: 1000 };

  it.each([1, 500, 1000])('allows %i', (n) => expect(pageSizeProblem(n, rule)).toBeUndefined());

  it.each([0, -5, 1001, 5000, 1.5])('refuses %s, naming the argument and the range', (n) => {
    expect(pageSizeProblem(n, rule)).toEqual({
      argument: 'first',
      code: 'OUT_OF_RANGE',
      message: 'first must be between 1 and 1000',
      min: 1,
      max: 1000,
    });
  });

  it('collects every problem, domain errors included, into one BAD_USER_INPUT', () => {
    let caught: unknown;
    try {
      checkArguments(
        () => pageSizeProblem(0, rule),
        () => {
          throw new CairnError('BAD_USER_INPUT', 'bad cursor', { reason: 'INVALID_CURSOR', field: 'after' });
        },
        () => [{ argument: 'filter.x', code: 'INVALID_FILTER', message: 'x' }],
      );
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InvalidArgumentsError);
    const e = caught as InvalidArgumentsError;
    expect(e.code).toBe('BAD_USER_INPUT');
    expect(e.details).toMatchObject({ reason: 'INVALID_ARGUMENTS', field: 'first' });
    expect(e.problems.map((p) => p.argument)).toEqual(['first', 'after', 'filter.x']);
  });

  it('passes other errors through untouched, and does nothing when all is well', () => {
    expect(() => checkArguments(() => undefined)).not.toThrow();
    const boom = new Error('bug');
    expect(() =>
      checkArguments(() => {
        throw boom;
      }),
    ).toThrow(boom);
  });
});
