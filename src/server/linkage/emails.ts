const DOTS_IGNORED_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/**
 * Canonical form of an email address for comparison: lower case, "+tag" removed, and for Gmail the
 * dots in the local part removed (Gmail ignores them) and googlemail.com folded into gmail.com.
 * Returns "" for anything without exactly one "@" and a dotted domain.
 */
export function canonicalEmail(raw: string | undefined): string {
  if (!raw) return '';
  const text = raw.trim().toLowerCase().replace(/^mailto:/, '');
  const at = text.indexOf('@');
  if (at <= 0 || at !== text.lastIndexOf('@')) return '';
  let local = text.slice(0, at);
  let domain = text.slice(at + 1);
  if (!/^[a-z0-9.-]+\.[a-z]{2,}$/.test(domain)) return '';
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  if (DOTS_IGNORED_DOMAINS.has(domain)) {
    local = local.replace(/\./g, '');
    domain = 'gmail.com';
  }
  return local ? `${local}@${domain}` : '';
}
