import type { Client } from 'pg';

/**
 * Runs `scenario` again if the database's minute changed while it ran, up to three times: a
 * per-minute quota window that closes mid-test resets the count, and exact counts asserted against
 * it would then not hold. Twice in a row cannot happen. The scenario must start afresh each time
 * (a new tenant and key), since what it used of a quota in the last attempt stays used.
 */
export async function withinOneDatabaseMinute(db: Pick<Client, 'query'>, scenario: () => Promise<void>): Promise<void> {
  const minute = async (): Promise<string> =>
    ((await db.query(`SELECT date_trunc('minute', now(), 'UTC') AS m`)).rows[0] as { m: Date }).m.toISOString();
  for (let attempt = 0; ; attempt++) {
    const before = await minute();
    let failure: unknown;
    try {
      await scenario();
    } catch (err) {
      failure = err;
    }
    if ((await minute()) === before || attempt === 2) {
      if (failure) throw failure;
      return;
    }
  }
}
