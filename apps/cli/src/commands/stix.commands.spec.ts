import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dprkBundle } from '../../../../test/fixtures/stix-bundles';
import { CliUsageError } from '../cli-command';
import { jsonErrorLocation, jsonErrorOffset, stixCommands } from './stix.commands';
import { fakeIo } from '../../../../test/support/cli';

const command = (name: string) => {
  const c = stixCommands.find((x) => x.path.join(' ') === `stix ${name}`);
  if (!c) throw new Error(`no stix ${name}`);
  return c;
};
const run = (name: string, positional: string[], stdin?: string) => {
  const f = fakeIo(stdin);
  return command(name)
    .run({ positional, flags: {} }, f.io)
    .then((code) => ({ code, out: f.out, err: f.err }));
};

describe('stix validate', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cairn-stix-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('prints OK and the object count for a valid bundle file', async () => {
    const bundle = dprkBundle(1);
    const file = join(dir, 'ok.json');
    await writeFile(file, JSON.stringify(bundle, null, 2));
    expect(await run('validate', [file])).toEqual({ code: 0, out: [`OK ${bundle.objects.length} objects`], err: [] });
  });

  it('reads stdin with - and validates a single object', async () => {
    const obj = { type: 'email-addr', id: 'email-addr--7165e2a9-671f-585d-b1e1-ca59c671d934', value: 'john@example.com' };
    expect(await run('validate', ['-'], JSON.stringify(obj))).toEqual({ code: 0, out: ['OK 1 objects'], err: [] });
  });

  it('prints one line per problem: object id, path, code, message', async () => {
    const bundle = dprkBundle(1);
    const i = bundle.objects.findIndex((o) => o.type === 'sighting');
    (bundle.objects[i] as Record<string, unknown>).count = -5;
    const r = await run('validate', ['-'], JSON.stringify(bundle));
    expect(r.code).toBe(1);
    expect(r.out).toHaveLength(1);
    expect(r.out[0].split(' ').slice(0, 3)).toEqual([bundle.objects[i].id, `$.objects[${i}].count`, 'OUT_OF_RANGE']);
  });

  it('uses - for objects without an id', async () => {
    const r = await run('validate', ['-'], '[1]');
    expect(r).toEqual({ code: 1, out: [expect.stringMatching(/^- \$ WRONG_TYPE /)], err: [] });
  });

  it('reports where JSON is broken', async () => {
    const file = join(dir, 'broken.json');
    await writeFile(file, '{\n  "type": "bundle",\n  "id": x\n}');
    const r = await run('validate', [file]);
    expect(r.code).toBe(1);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toContain(' at 3:9');
  });

  it('explains a missing file and a missing argument', async () => {
    const r = await run('validate', [join(dir, 'nope.json')]);
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(/no such file$/);
    await expect(run('validate', [])).rejects.toBeInstanceOf(CliUsageError);
  });

  it('computes JSON error positions from either message format', () => {
    expect(jsonErrorLocation('{\n"a": }', new SyntaxError('Unexpected token } in JSON at position 7'))).toEqual({ line: 2, column: 6 });
    expect(jsonErrorLocation('x', new SyntaxError('Unexpected token \'x\', "x" is not valid JSON (line 1 column 1)'))).toEqual({
      line: 1,
      column: 1,
    });
    expect(jsonErrorLocation('{"a":', new SyntaxError('Unexpected end of JSON input'))).toEqual({ line: 1, column: 6 });
    expect(jsonErrorLocation('{"a": 1}', new Error('weird'))).toBeUndefined();
  });

  it('finds the first syntax error itself when the message has no position', () => {
    const cases: Array<[string, number | undefined]> = [
      ['{"a": [1, 2.5e3, true, null, "x\\u00e9"]}', undefined],
      ['{"a": x}', 6],
      ['{"a" 1}', 5],
      ['[1, 2,]', 6],
      ['{"a": 1,}', 8],
      ['[01]', 2],
      ['"bad \\q escape"', 6],
      ['[1] 2', 4],
      ['{"a": [1}', 8],
      ['', 0],
      ['['.repeat(100_000), 100_000],
    ];
    for (const [text, offset] of cases) {
      expect(jsonErrorOffset(text)).toBe(offset);
      let parses = true;
      try {
        JSON.parse(text);
      } catch {
        parses = false;
      }
      expect(parses).toBe(offset === undefined);
    }
  });
});

describe('stix pattern', () => {
  it('prints the AST as JSON', async () => {
    const r = await run('pattern', ["[email-addr:value = 'a@b.example']"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out[0])).toEqual({
      kind: 'observation',
      expression: {
        kind: 'comparison',
        path: { objectType: 'email-addr', steps: [{ kind: 'property', name: 'value' }] },
        operator: '=',
        negated: false,
        value: { kind: 'string', value: 'a@b.example' },
      },
    });
  });

  it('prints the error with its position and a caret', async () => {
    const r = await run('pattern', ["[email-addr:value = 'a@b.example'"]);
    expect(r.code).toBe(1);
    expect(r.err).toEqual(["error: expected ']' at 1:34", "  [email-addr:value = 'a@b.example'", `  ${' '.repeat(33)}^`]);
  });

  it('wants exactly one argument', async () => {
    await expect(run('pattern', [])).rejects.toBeInstanceOf(CliUsageError);
  });
});
