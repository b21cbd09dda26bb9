import 'reflect-metadata';
import type { Bench } from './bench';
import { benches as stixBenches } from './stix.bench';
import { benches as publishBenches } from './publish.bench';
import { benches as lookupBenches } from './lookup.bench';
import { benches as taxiiBenches } from './taxii.bench';

/** Every benchmark; `npm run bench` runs them all, `npm run bench -- <name>…` the named ones. */
const ALL: Bench[] = [...stixBenches, ...publishBenches, ...lookupBenches, ...taxiiBenches];

async function main(): Promise<void> {
  const names = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !ALL.some((b) => b.name === n));
  if (unknown.length) {
    process.stderr.write(`Unknown benchmark: ${unknown.join(', ')}\nAvailable:\n${ALL.map((b) => `  ${b.name}  ${b.description}`).join('\n')}\n`);
    process.exit(2);
  }
  const selected = names.length ? ALL.filter((b) => names.includes(b.name)) : ALL;
  process.stdout.write(`node ${process.version}, ${require('node:os').cpus().length} cores (${require('node:os').cpus()[0]?.model ?? 'unknown CPU'})\n`);
  for (const b of selected) await b.run(process.argv.slice(2));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`benchmark failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
