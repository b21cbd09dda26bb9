type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every `*_ref` / `*_refs` value at any depth of an object. */
export function referencedIds(obj: Json): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach((item) => isRecord(item) && walk(item));
    if (!isRecord(v)) return;
    for (const [key, value] of Object.entries(v)) {
      if (key.endsWith('_ref') && typeof value === 'string') out.push(value);
      else if (key.endsWith('_refs') && Array.isArray(value))
        for (const r of value) {
          if (typeof r === 'string') out.push(r);
        }
      else if (typeof value === 'object' && value !== null) walk(value);
    }
  };
  walk(obj);
  return out;
}

/**
 * The bundle's object positions in an order where each object comes after what it references in
 * the bundle (a depth-first order; a reference cycle keeps bundle order), versions of one id in
 * bundle order. Cutting this order into batches leaves no batch pointing at a later one, except
 * within a cycle that straddles a cut.
 */
export function referenceOrder(objects: readonly unknown[]): number[] {
  const byId = new Map<string, number[]>();
  objects.forEach((o, i) => {
    if (isRecord(o) && typeof o.id === 'string') byId.set(o.id, [...(byId.get(o.id) ?? []), i]);
  });
  const state = new Uint8Array(objects.length); // 0 new, 1 in progress, 2 placed
  const order: number[] = [];
  // Iterative DFS: a release's chains (collection → matrix → tactic …) may be deep.
  const visit = (start: number) => {
    const stack: Array<{ i: number; deps: number[]; at: number }> = [];
    const open = (i: number) => {
      state[i] = 1;
      const o = objects[i];
      const deps = isRecord(o) ? referencedIds(o).flatMap((id) => byId.get(id) ?? []) : [];
      stack.push({ i, deps, at: 0 });
    };
    open(start);
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (top.at < top.deps.length) {
        const d = top.deps[top.at++];
        if (state[d] === 0) open(d);
        continue;
      }
      stack.pop();
      state[top.i] = 2;
      order.push(top.i);
    }
  };
  for (let i = 0; i < objects.length; i++) if (state[i] === 0) visit(i);
  return order;
}

/** Positions cut into batches of at most `size`, in reference order (see referenceOrder). */
export function batchesOf(objects: readonly unknown[], size: number): number[][] {
  if (size < 1) throw new RangeError('batchesOf: size must be at least 1');
  const order = objects.length <= size ? objects.map((_o, i) => i) : referenceOrder(objects);
  const out: number[][] = [];
  for (let i = 0; i < order.length; i += size) out.push(order.slice(i, i + size));
  return out;
}
