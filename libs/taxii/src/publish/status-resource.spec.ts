import type { PublishSummary } from '@cairn/intel';
import { statusFromRejection, statusFromSummary, submittedRefs } from './status-resource';

const sent = submittedRefs([
  { type: 'indicator', id: 'indicator--a', modified: '2025-01-02T00:00:00.000Z' },
  { type: 'email-addr', id: 'email-addr--b', value: 'x@example.com' },
  'not an object',
]);

describe('TAXII status resources', () => {
  it('reads submitted ids and versions, tolerating junk', () => {
    expect(sent).toEqual([
      { id: 'indicator--a', version: '2025-01-02T00:00:00.000Z' },
      { id: 'email-addr--b', version: '' },
      { id: '', version: '' },
    ]);
  });

  it('reports every object of a stored envelope as a success, by its submitted id', () => {
    const summary: PublishSummary = {
      created: 1,
      newVersions: 0,
      unchanged: 0,
      skipped: 0,
      corrected: 1,
      repaired: 0,
      repairs: [],
      objects: [
        { index: 0, id: 'indicator--a', type: 'indicator', status: 'CREATED', modified: '2025-01-02T00:00:00.000Z' },
        {
          index: 1,
          id: 'email-addr--c',
          type: 'email-addr',
          status: 'CREATED',
          modified: '1970-01-01T00:00:00.000Z',
          correctedFrom: 'email-addr--b',
          reason: 'personal data',
        },
      ],
    };
    const status = statusFromSummary('s1', '2025-06-02T09:00:00.000Z', sent.slice(0, 2), summary);
    expect(status).toMatchObject({
      id: 's1',
      status: 'complete',
      total_count: 2,
      success_count: 2,
      failure_count: 0,
      pending_count: 0,
      failures: [],
    });
    expect(status.successes[0]).toEqual({ id: 'indicator--a', version: '2025-01-02T00:00:00.000Z', message: 'created' });
    expect(status.successes[1]).toEqual({
      id: 'email-addr--b',
      version: '1970-01-01T00:00:00.000Z',
      message: 'created: personal data: stored as email-addr--c',
    });
  });

  it('fails every object of a refused envelope, each saying why', () => {
    const status = statusFromRejection('s2', 't', sent, [
      { objectId: 'email-addr--b', path: '$.objects[1].value', code: 'INVALID_VALUE', message: 'bad' },
    ]);
    expect(status).toMatchObject({ total_count: 3, success_count: 0, failure_count: 3, successes: [] });
    expect(status.failures.map((f) => f.message)).toEqual([
      'not stored: another object in the envelope was rejected',
      'rejected: INVALID_VALUE at $.objects[1].value: bad',
      'not stored: another object in the envelope was rejected',
    ]);
    const whole = statusFromRejection('s3', 't', sent.slice(0, 1), [
      { objectId: null, path: '$.objects', code: 'LIMIT_EXCEEDED', message: 'too many' },
    ]);
    expect(whole.failures[0].message).toBe('rejected: LIMIT_EXCEEDED at $.objects: too many');
  });
});
