import type { Protocol, ProtocolInput } from '../../../server/protocols/protocol.schema.js';
import { parseProtocol } from '../../../server/protocols/protocol.validate.js';
import type { ConfigIssue } from './adminConfigApi.js';

/**
 * The protocol set as the editor holds it, and the validation the server runs on save (config.service.ts
 * validateProtocolSet), live in the browser: each protocol's own checks plus unique ids, with the protocol and step named.
 */
export interface ProtocolSetDraft { protocols: ProtocolInput[] }

export function validateProtocolSetDraft(data: ProtocolSetDraft): { issues: ConfigIssue[]; protocols: Protocol[] } {
  const issues: ConfigIssue[] = [];
  const protocols: Protocol[] = [];
  if (!Array.isArray(data.protocols) || data.protocols.length === 0) {
    return { issues: [{ code: 'invalid_shape', subject: 'protocol set', path: 'protocols', message: 'a hotline needs at least one protocol' }], protocols };
  }
  const seen = new Set<string>();
  data.protocols.forEach((entry, index) => {
    const name = typeof entry?.id === 'string' && entry.id ? `protocol '${entry.id}'` : `protocol #${index + 1}`;
    const parsed = parseProtocol(entry);
    if (!parsed.ok) {
      for (const issue of parsed.issues) issues.push({ code: issue.code, subject: subjectIn(entry, name, issue.path), path: `protocols[${index}].${issue.path}`, message: issue.message });
      return;
    }
    if (seen.has(parsed.protocol.id)) issues.push({ code: 'duplicate_protocol_id', subject: name, path: `protocols[${index}].id`, message: `another protocol already has the id '${parsed.protocol.id}'` });
    seen.add(parsed.protocol.id);
    protocols.push(parsed.protocol);
  });
  return { issues, protocols };
}

function subjectIn(entry: ProtocolInput, name: string, path: string): string {
  const match = /^(steps|actions)\[(\d+)\]/.exec(path);
  if (!match) return name;
  const list = match[1] === 'steps' ? entry.steps : entry.actions;
  const part = Array.isArray(list) ? (list[Number(match[2])] as { id?: unknown } | undefined) : undefined;
  const kind = match[1] === 'steps' ? 'step' : 'action';
  return `${name}, ${kind} ${typeof part?.id === 'string' ? `'${part.id}'` : `#${Number(match[2]) + 1}`}`;
}
