/**
 * A tiny TwiML builder. Production does not load the 30 MB `twilio` package (a devDependency); twiml.test.ts proves
 * this output byte-equal to twilio's VoiceResponse for the verbs we use. Text and attribute values are escaped, so
 * a configured greeting can never inject markup into the call flow.
 */
export type TwimlNode = { name: string; attrs?: Record<string, string | number | undefined>; children?: (TwimlNode | string)[] };

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>';

// Canonical XML escaping (W3C C14N), the same rules twilio's own builder applies.
export function escapeText(value: string) {
  return stripInvalid(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;');
}

export function escapeAttribute(value: string) {
  return stripInvalid(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/\t/g, '&#x9;').replace(/\n/g, '&#xA;').replace(/\r/g, '&#xD;');
}

/** Characters XML 1.0 cannot carry at all (control characters, lone surrogates) are dropped rather than emitted. */
function stripInvalid(value: string) {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
}

export function renderNode(node: TwimlNode | string): string {
  if (typeof node === 'string') return escapeText(node);
  const attrs = Object.entries(node.attrs ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeAttribute(String(v))}"`)
    .join('');
  const inner = (node.children ?? []).map(renderNode).join('');
  return inner === '' ? `<${node.name}${attrs}/>` : `<${node.name}${attrs}>${inner}</${node.name}>`;
}

export function voiceResponse(children: TwimlNode[]): string {
  return XML_HEAD + renderNode({ name: 'Response', children });
}

export const say = (text: string, language?: string): TwimlNode => ({ name: 'Say', attrs: { language }, children: [text] });
export const pause = (length: number): TwimlNode => ({ name: 'Pause', attrs: { length } });
export const hangup = (): TwimlNode => ({ name: 'Hangup' });
export const enqueue = (queue: string, attrs: { action: string; waitUrl: string }): TwimlNode => ({
  name: 'Enqueue',
  attrs: { action: attrs.action, method: 'POST', waitUrl: attrs.waitUrl, waitUrlMethod: 'POST' },
  children: [queue],
});
