import { parsePattern, validateBundle } from '@cairn/stix';
import { largeBundle } from '../test/fixtures/stix-bundles';
import { fmt, numberArg, opsPerSecond, type Bench } from './bench';

const PATTERNS = [
  "[email-addr:value = 'daniel.kim.7@proton.example']",
  "[phone-number:value = '+12025551007']",
  "[file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']",
  "[user-account:account_type = 'github' AND user-account:account_login = 'dev-kim-7']",
  "[ipv4-addr:value = '198.51.100.7'] FOLLOWEDBY [email-addr:value = 'daniel.kim.7@proton.example'] WITHIN 3600 SECONDS",
  "[ipv4-addr:value ISSUBSET '198.51.100.0/24' OR ipv6-addr:value ISSUBSET '2001:db8::/32']",
  "[file:name MATCHES '^.*_Resume\\\\.pdf$' AND file:size > 100000 AND file:mime_type = 'application/pdf']",
  "([network-traffic:dst_ref.value = '203.0.113.9' AND network-traffic:dst_port IN (22, 3389, 5900)] AND [process:name = 'anydesk.exe']) REPEATS 3 TIMES",
  "[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\SOFTWARE\\\\AnyDesk' AND windows-registry-key:values[*].name = 'ad.anynet.id']",
  "[url:value = 'https://careers.example/apply?id=42'] START t'2025-01-01T00:00:00Z' STOP t'2025-07-01T00:00:00.000Z'",
];

export const benches: Bench[] = [
  {
    name: 'stix-validate',
    description: 'validateBundle over a realistic 10,000-object DPRK bundle vs JSON.parse of the same text (--objects=N, --ms=N)',
    async run(args) {
      const count = numberArg(args, 'objects', 10_000);
      const ms = numberArg(args, 'ms', 2000);
      const bundle = largeBundle(count);
      const text = JSON.stringify(bundle);
      const issues = validateBundle(bundle);
      if (issues.length > 0) throw new Error(`benchmark bundle is invalid: ${issues[0].path} ${issues[0].code}`);
      for (let i = 0; i < 3; i++) validateBundle(bundle);
      const validated = await opsPerSecond(() => validateBundle(bundle), ms);
      const parsed = await opsPerSecond(() => JSON.parse(text), ms);
      const v = validated.perSecond * count;
      const p = parsed.perSecond * count;
      console.log(
        `stix-validate: ${fmt(count)} objects (${fmt(text.length / 1024)} KiB), ${fmt(v)} objects/s ` +
          `(JSON.parse baseline ${fmt(p)} objects/s, ratio ${(v / p).toFixed(2)}; ${validated.ops} validations)`,
      );
    },
  },
  {
    name: 'stix-pattern',
    description: 'parsePattern over a mix of realistic indicator patterns (--ms=N)',
    async run(args) {
      const ms = numberArg(args, 'ms', 2000);
      for (const p of PATTERNS) parsePattern(p);
      const total = PATTERNS.reduce((n, p) => n + p.length, 0);
      const result = await opsPerSecond(() => {
        for (const p of PATTERNS) parsePattern(p);
      }, ms);
      const perSecond = result.perSecond * PATTERNS.length;
      const mbs = (result.perSecond * total) / 1e6;
      console.log(`stix-pattern: ${PATTERNS.length} patterns, ${fmt(perSecond)} patterns/s (${mbs.toFixed(1)} MB/s of pattern text)`);
    },
  },
];
