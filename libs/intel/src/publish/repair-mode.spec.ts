import { BundleRejectedError, PublishIssueCode } from '../intel.errors';
import { publishRepaired, type PublishAttempt } from './repair-mode';
import { summarise } from './publish.types';

const T = '2025-04-01T10:00:00.000Z';
const obj = (n: number, extra: Record<string, unknown> = {}) => ({
  type: 'x-thing',
  spec_version: '2.1',
  id: `x-thing--0000000${n}-0000-4000-8000-000000000000`,
  created: T,
  modified: T,
  ...extra,
});

/** A fake publish: refuses the objects whose `x_bad` is set, and those referencing one missing from the try, like the real store. */
function fakeAttempt(tries: number[][]): PublishAttempt {
  return async (bundle, origin) => {
    tries.push([...origin]);
    const objects = bundle.objects as Array<Record<string, unknown>>;
    const ids = new Set(objects.map((o) => o.id));
    const issues = objects.flatMap((o, k) => [
      ...(o.x_bad
        ? [{ objectId: o.id as string, path: `$.objects[${k}].x_bad`, code: PublishIssueCode.INVALID_VALUE, message: 'bad' }]
        : []),
      ...(typeof o.x_other_ref === 'string' && !ids.has(o.x_other_ref)
        ? [{ objectId: o.id as string, path: `$.objects[${k}].x_other_ref`, code: PublishIssueCode.UNKNOWN_REFERENCE, message: 'gone' }]
        : []),
    ]);
    if (issues.length) throw new BundleRejectedError(issues);
    return summarise(objects.map((o, index) => ({ index, id: o.id as string, type: 'x-thing', status: 'CREATED' })));
  };
}

describe('publishRepaired', () => {
  it('skips what is refused, with paths in the submitted positions, tries the rest again, and reports repairs per object', async () => {
    const objects = [obj(1), obj(2, { x_bad: true }), obj(3, { x_other_ref: obj(2).id }), obj(4, { modified: '2025-04-01T10:00:00Z' })];
    const tries: number[][] = [];
    const ids = objects.map((o) => o.id);
    const s = await publishRepaired(
      { type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000001', spec_version: '2.0', objects },
      ids,
      fakeAttempt(tries),
    );
    expect(tries).toEqual([
      [0, 1, 2, 3],
      [0, 2, 3],
      [0, 3],
    ]);
    expect(s.objects.map((o) => `${o.index} ${o.status}`)).toEqual(['0 CREATED', '1 SKIPPED', '2 SKIPPED', '3 CREATED']);
    expect(s.objects[1].errors).toEqual([expect.objectContaining({ path: '$.objects[1].x_bad', code: 'INVALID_VALUE' })]);
    expect(s.objects[2].errors).toEqual([expect.objectContaining({ path: '$.objects[2].x_other_ref', code: 'UNKNOWN_REFERENCE' })]);
    expect(s.objects[3].repairs).toEqual([expect.objectContaining({ path: '$.objects[3].modified', code: 'TIMESTAMP_PRECISION' })]);
    expect({ created: s.created, skipped: s.skipped, repaired: s.repaired }).toEqual({ created: 2, skipped: 2, repaired: 1 });
    expect(s.repairs.map((r) => r.code)).toEqual(['BUNDLE_SPEC_VERSION', 'TIMESTAMP_PRECISION']);
  });

  it('still refuses a problem of the bundle as a whole', async () => {
    const attempt: PublishAttempt = async () => {
      throw new BundleRejectedError([{ objectId: null, path: '$.objects', code: 'LIMIT_EXCEEDED', message: 'too many' }]);
    };
    await expect(
      publishRepaired({ type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000001', objects: [obj(1)] }, [obj(1).id], attempt),
    ).rejects.toBeInstanceOf(BundleRejectedError);
  });

  it('ends with nothing stored when every object is refused', async () => {
    const tries: number[][] = [];
    const s = await publishRepaired(
      { type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000001', objects: [obj(1, { x_bad: true })] },
      [obj(1).id],
      fakeAttempt(tries),
    );
    expect(tries).toHaveLength(1);
    expect(s.skipped).toBe(1);
  });
});
