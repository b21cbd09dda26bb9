import { rmSync } from 'node:fs';
import type { RunningPostgres } from '../../libs/database/src/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const pg = (globalThis as { __CAIRN_PG__?: RunningPostgres }).__CAIRN_PG__;
  if (pg) await pg.stop();
  if (process.env.CAIRN_TEST_PG_DIR) rmSync(process.env.CAIRN_TEST_PG_DIR, { recursive: true, force: true });
}
