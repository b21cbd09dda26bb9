import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import type { Bench } from './bench';
import { benches as stixBenches } from './stix.bench';
import { benches as publishBenches } from './publish.bench';
import { benches as lookupBenches } from './lookup.bench';
import { benches as taxiiBenches } from './taxii.bench';
import { benches as feedBenches } from './feed.bench';
import { benches as sightingsBenches } from './sightings.bench';
import { benches as soakBenches } from './soak.bench';
import { benches as loginBenches } from './login.bench';
import { benches as importBenches } from './import.bench';
import { benches as consoleBenches } from './console.bench';
import { benches as screenBenches } from './screen.bench';
import { benches as exportBenches } from './export.bench';
import { benches as pagesBenches } from './pages.bench';
import { benches as wsFloorBenches } from './ws-floor.bench';

/** Every benchmark; `npm run bench` runs them all but the named-only ones, `npm run bench -- <name>…` the named ones. */
const ALL: Bench[] = [
  ...stixBenches,
  ...publishBenches,
  ...lookupBenches,
  ...taxiiBenches,
  ...sightingsBenches,
  ...feedBenches,
  ...wsFloorBenches,
  ...loginBenches,
  ...importBenches,
  ...screenBenches,
  ...exportBenches,
  ...pagesBenches,
  ...consoleBenches,
  ...soakBenches,
];
/** Run only when named (`npm run bench -- soak`): too long for a plain `npm run bench`. */
const NAMED_ONLY = new Set(['soak', 'console', 'pages']);

async function main(): Promise<void> {
  // Names are the arguments that are not options; `--option value` takes the next argument as its value unless that is a bench name.
  const argv = process.argv.slice(2);
  const isName = (a: string) => ALL.some((b) => b.name === a);
  const names = argv.filter(
    (a, i) => !a.startsWith('--') && (isName(a) || !(i > 0 && argv[i - 1].startsWith('--') && !argv[i - 1].includes('='))),
  );
  const unknown = names.filter((n) => !ALL.some((b) => b.name === n));
  if (unknown.length) {
    process.stderr.write(
      `Unknown benchmark: ${unknown.join(', ')}\nAvailable:\n${ALL.map((b) => `  ${b.name}  ${b.description}`).join('\n')}\n`,
    );
    process.exit(2);
  }
  const selected = names.length ? ALL.filter((b) => names.includes(b.name)) : ALL.filter((b) => !NAMED_ONLY.has(b.name));
  process.stdout.write(`node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'})\n`);
  const hogs = busyMachine(argv);
  try {
    for (const b of selected) await b.run(process.argv.slice(2));
  } finally {
    for (const h of hogs) h.kill('SIGKILL');
    if (hogs.length)
      process.stdout.write(
        `load average at the end: ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}\n`,
      );
  }
}

/**
 * `--busy=N`: N processes that spin on the CPU, at the benches' own priority, for as long as the
 * benches run — a machine shared with other work (the targets ask for ratios "when the machine is
 * busy" as well as quiet). Both sides of every ratio then run on the same loaded machine.
 */
function busyMachine(argv: string[]): ChildProcess[] {
  const n = Number(argv.find((a) => a.startsWith('--busy='))?.slice('--busy='.length) ?? 0);
  if (!Number.isInteger(n) || n <= 0) return [];
  process.stdout.write(`busy machine: ${n} processes spinning on the CPU beside the benches\n`);
  return Array.from({ length: n }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`benchmark failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
