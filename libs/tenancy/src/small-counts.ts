/**
 * Small-count protection for figures (sectorStats, lookups): a figure is shown only when the members
 * behind it — other than the viewer, who can always subtract its own part — number at least k, or
 * none (a figure of the viewer's own reports, or a zero).
 *
 * Suppressing a figure is not enough when a total is shown beside it: total − Σ shown gives the
 * suppressed ones back. So the suppressed figures of one breakdown, taken together, must also stand
 * for at least k members (or for none): while they do not, the smallest figure still shown is
 * suppressed too (secondary suppression). What stays shown, and the remainder the total implies,
 * each stand for at least k members.
 */
export interface Figure<K> {
  key: K;
  value: number;
  /** The member tenants whose reports make up the figure. */
  contributors: readonly string[];
}

/** How many of `contributors` are not the viewer. */
export function othersThan(viewerTenantId: string, contributors: readonly string[]): number {
  return new Set(contributors.filter((c) => c !== viewerTenantId)).size;
}

/** True when a figure of these contributors may be shown to this viewer: it is all its own (or nobody's), or k others stand behind it. */
export function mayShow(viewerTenantId: string, contributors: readonly string[], k: number): boolean {
  return mayShowOthers(othersThan(viewerTenantId, contributors), k);
}

/** mayShow for a figure whose contributors other than the viewer were counted already (e.g. in SQL). */
export function mayShowOthers(others: number, k: number): boolean {
  return others === 0 || others >= k;
}

/** The figures of one breakdown, each with its value or null where it must be suppressed (order kept). */
export function protectBreakdown<K>(
  viewerTenantId: string,
  figures: ReadonlyArray<Figure<K>>,
  k: number,
): Array<{ key: K; value: number | null }> {
  const shown = figures.map((f) => mayShow(viewerTenantId, f.contributors, k));
  const hidden = () => figures.flatMap((f, i) => (shown[i] ? [] : f.contributors));
  for (let n = othersThan(viewerTenantId, hidden()); n > 0 && n < k; n = othersThan(viewerTenantId, hidden())) {
    // Suppress the smallest figure still shown; ties by position, so the answer is the same every time.
    // (a figure of nobody else's reports would hide nothing more).
    let smallest = -1;
    figures.forEach((f, i) => {
      if (shown[i] && othersThan(viewerTenantId, f.contributors) > 0 && (smallest < 0 || f.value < figures[smallest].value)) smallest = i;
    });
    if (smallest < 0) break; // nothing left that would help: every figure of others is hidden
    shown[smallest] = false;
  }
  return figures.map((f, i) => ({ key: f.key, value: shown[i] ? f.value : null }));
}
