/**
 * Query runners whose transaction beginWith opened and will close: queryAndCommit may end such a
 * transaction with its own COMMIT, and beginWith, finding none active, then sends nothing more —
 * one round trip fewer than reopening an empty transaction for the runner to commit. Not exported
 * from the library: others ask inBeginWithTransaction.
 */
export const ownedTransactions = new WeakSet<object>();
