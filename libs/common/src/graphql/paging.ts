import { CairnError } from '../errors/cairn-error';
import { CommonErrorCode } from '../common.errors';

/** One problem with one argument of a request: `argument` names it as the client wrote it. */
export interface ArgumentProblem {
  argument: string;
  code: string;
  message: string;
  min?: number;
  max?: number;
}

/**
 * Every problem of a request's arguments at once, nothing done. With one problem, `reason` and
 * `field` are that problem's (as a single domain error would say); with more, `reason` is
 * INVALID_ARGUMENTS and `problems` lists them all.
 */
export class InvalidArgumentsError extends CairnError {
  constructor(readonly problems: readonly ArgumentProblem[]) {
    const one = problems.length === 1;
    super('BAD_USER_INPUT', problems.map((p) => p.message).join('; '), {
      reason: one ? problems[0].code : CommonErrorCode.INVALID_ARGUMENTS,
      field: problems[0]?.argument,
      problems,
    });
  }
}

/** How many items one page of a list may hold: the one rule every list argument follows. */
export interface PageRule {
  /** The argument's name, e.g. "first". */
  argument: string;
  max: number;
  min?: number;
}

/** Page sizes of the GraphQL lists; TAXII `limit` keeps its own rule (lowered to the server's maximum, as TAXII 2.1 lets servers do). */
export const PAGE_RULES = {
  objects: { argument: 'first', max: 1000 },
  feed: { argument: 'first', max: 500 },
  auditLog: { argument: 'first', max: 500 },
  watchlist: { argument: 'first', max: 500 },
} as const satisfies Record<string, PageRule>;

/** The problem with a page size, if any: out of [min, max] (a silent clamp would hide from a client that it got less than it asked for). */
export function pageSizeProblem(value: number, rule: PageRule): ArgumentProblem | undefined {
  const min = rule.min ?? 1;
  if (Number.isInteger(value) && value >= min && value <= rule.max) return undefined;
  return {
    argument: rule.argument,
    code: CommonErrorCode.OUT_OF_RANGE,
    message: `${rule.argument} must be between ${min} and ${rule.max}`,
    min,
    max: rule.max,
  };
}

/**
 * Runs every check of a request's arguments and throws one InvalidArgumentsError with all their
 * problems: a check returns a problem, or throws a BAD_USER_INPUT CairnError (a domain error naming
 * its `field`), which is collected too. Checks that compute something (a decoded cursor) assign it.
 */
export function checkArguments(...checks: Array<() => ArgumentProblem | readonly ArgumentProblem[] | undefined | void>): void {
  const problems: ArgumentProblem[] = [];
  for (const check of checks) {
    try {
      const p = check();
      if (Array.isArray(p)) problems.push(...p);
      else if (p) problems.push(p as ArgumentProblem);
    } catch (err) {
      if (!(err instanceof CairnError) || err.code !== 'BAD_USER_INPUT') throw err;
      if (err instanceof InvalidArgumentsError) problems.push(...err.problems);
      else
        problems.push({ argument: String(err.details?.field ?? ''), code: String(err.details?.reason ?? err.code), message: err.message });
    }
  }
  if (problems.length > 0) throw new InvalidArgumentsError(problems);
}
