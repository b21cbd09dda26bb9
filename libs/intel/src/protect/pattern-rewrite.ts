import { forEachComparison, formatPattern, parsePattern, type Literal, type PathStep } from '@cairn/stix';
import {
  asWritten,
  isProtectedKey,
  keyOfRendering,
  normaliseProtected,
  protectedKey,
  protectedRendering,
  type ProtectedKind,
} from './protected-key';
import { LEGACY_PROTECTED_PROPERTY } from './protection-extension';
import { emailIn, protectedPatternProperty } from './protected-properties';

export interface PatternRewrite {
  /** The pattern with protected values replaced by their keys; the input text when nothing changed. */
  pattern: string;
  changed: boolean;
  /** Raw values found (and their normalised forms), to be scrubbed from free text. */
  rawValues: string[];
  /** Normalised phone numbers found. */
  phones: string[];
  /** The keyed hash of each value found (what the lookup quota is charged for). */
  keys: string[];
  problems: Array<{ code: 'INVALID_IDENTIFIER' | 'UNPROTECTABLE_PATTERN'; message: string }>;
}

// email-message properties that reference an email-addr, whose `value` is then an e-mail address.
const EMAIL_REFS = new Set(['from_ref', 'sender_ref', 'to_refs', 'cc_refs', 'bcc_refs']);

type Target = { kind: ProtectedKind; prop: string; prefix: PathStep[]; conditional: boolean };

function target(type: string, steps: PathStep[], literals: Literal[]): Target | undefined {
  if (steps.length === 1 && steps[0].kind === 'property') {
    const name = steps[0].name;
    const fixed = protectedPatternProperty(type, name);
    if (fixed) return { kind: fixed.kind, prop: fixed.prop, prefix: [], conditional: false };
    // A login, account id or URL is personal only when it is an e-mail address: rewritten when
    // every value compared is one (anything else is scrubbed as text later).
    const each = literals.map((l) => (l.kind === 'string' ? protectedPatternProperty(type, name, l.value) : undefined));
    return each.length > 0 && each.every((p) => p !== undefined) ? { kind: 'email', prop: name, prefix: [], conditional: true } : undefined;
  }
  // email-message:from_ref.value, email-message:to_refs[*].value
  const last = steps[steps.length - 1];
  const ref = steps.find((s) => s.kind === 'property' && EMAIL_REFS.has(s.name));
  if (type === 'email-message' && ref && last.kind === 'property' && last.name === 'value') {
    return { kind: 'email', prop: 'value', prefix: steps.slice(0, -1), conditional: false };
  }
  return undefined;
}

/**
 * Rewrites the tests of a STIX pattern that compare protected values (`[email-addr:value = 'a@b.example']`)
 * to compare their protected renderings instead (`[email-addr:value = '<hmac>@protected.invalid']`),
 * which is exactly what the protected observable holds, so the pattern matches what Cairn serves.
 * Only `=`, `!=` and `IN` can be rewritten; LIKE, MATCHES and orderings over a protected property
 * are reported, since they would keep the raw value (or a guessable part of it) in the pattern.
 * Literals that already are renderings (a bundle Cairn exported) stay; tests of the legacy
 * `x_cairn_protected.<prop>` path are turned into the current form.
 */
export function rewriteProtectedPattern(pattern: string, secret: string): PatternRewrite {
  const out: PatternRewrite = { pattern, changed: false, rawValues: [], phones: [], keys: [], problems: [] };
  const ast = parsePattern(pattern);
  if (moderniseLegacyTests(ast)) out.changed = true;
  forEachComparison(ast, (c) => {
    if (c.kind !== 'comparison') return;
    const literals: Literal[] = Array.isArray(c.value) ? c.value : [c.value];
    const t = target(c.path.objectType, c.path.steps, literals);
    if (!t) return;
    if (!['=', '!=', 'IN'].includes(c.operator) || literals.some((l) => l.kind !== 'string')) {
      if (t.conditional) return;
      out.problems.push({
        code: 'UNPROTECTABLE_PATTERN',
        message: `${c.path.objectType}:${t.prop} holds personal data and may only be compared with =, != or IN to strings`,
      });
      return;
    }
    const strings = literals as Array<Literal & { kind: 'string' }>;
    const valueOf = (lit: Literal & { kind: 'string' }) =>
      t.conditional ? (emailIn(c.path.objectType, lit.value) ?? lit.value) : lit.value;
    // An address that does not normalise is no reason to refuse a login test: it is scrubbed as text.
    if (t.conditional && strings.some((l) => keyOfRendering(l.value) === undefined && !normaliseProtected('email', valueOf(l)).ok)) return;
    const renderedType = t.prefix.length > 0 ? 'email-addr' : c.path.objectType;
    for (const lit of strings) {
      if (keyOfRendering(lit.value) !== undefined) continue;
      const n = normaliseProtected(t.kind, valueOf(lit));
      if (!n.ok) {
        // The indicator is refused or set aside; the value stays personal where the bundle repeats it.
        const text = asWritten(valueOf(lit));
        if (text) out.rawValues.push(text);
        out.problems.push({
          code: 'INVALID_IDENTIFIER',
          message: `pattern value for ${c.path.objectType}:${t.prop} cannot be normalised: ${n.reason}`,
        });
        continue;
      }
      out.rawValues.push(lit.value, n.value);
      if (t.kind === 'phone') out.phones.push(n.value);
      const key = protectedKey(t.kind, n.value, secret);
      out.keys.push(key);
      lit.value = protectedRendering(renderedType, t.kind, key);
      out.changed = true;
    }
  });
  if (out.changed && out.problems.length === 0) out.pattern = formatPattern(ast);
  return out;
}

/**
 * `[email-addr:x_cairn_protected.value = '<hex>']` (how protected tests were written before) becomes
 * `[email-addr:value = '<hex>@protected.invalid']`, in place; true when anything changed.
 */
function moderniseLegacyTests(ast: ReturnType<typeof parsePattern>): boolean {
  let changed = false;
  forEachComparison(ast, (c) => {
    const steps = c.path.steps;
    const at = steps.length - 2;
    const legacy = steps[at];
    const last = steps[at + 1];
    if (at < 0 || legacy.kind !== 'property' || legacy.name !== LEGACY_PROTECTED_PROPERTY || last.kind !== 'property') return;
    const viaRef = at > 0;
    const type = viaRef ? 'email-addr' : c.path.objectType;
    const kind: ProtectedKind | undefined = viaRef
      ? 'email'
      : (protectedPatternProperty(type, last.name)?.kind ??
        (['user_id', 'account_login'].includes(last.name) || (type === 'url' && last.name === 'value') ? 'email' : undefined));
    if (!kind) return;
    c.path.steps = [...steps.slice(0, at), last];
    if (c.kind !== 'comparison') {
      changed = true;
      return;
    }
    for (const lit of Array.isArray(c.value) ? c.value : [c.value]) {
      if (lit.kind === 'string' && isProtectedKey(lit.value)) lit.value = protectedRendering(type, kind, lit.value);
    }
    changed = true;
  });
  return changed;
}

/** A stored pattern in the current form (legacy protected tests rewritten); the input when nothing changed. */
export function modernisePattern(pattern: string): string {
  const ast = parsePattern(pattern);
  return moderniseLegacyTests(ast) ? formatPattern(ast) : pattern;
}
