import { assertValidProtocol } from '../protocol.validate.js';
import type { Protocol } from '../protocol.schema.js';
import { labourExploitationProtocol, likelyTraffickingProtocol, minorProtocol } from './case-protocols.js';
import { nonDataContactProtocol, referralRequestProtocol } from './contact-protocols.js';
import { crisisProtocol, imminentDangerProtocol } from './danger-protocols.js';

/** The protocols a new hotline starts with; validated at load (a broken default is a fault of this codebase). */
export const DEFAULT_PROTOCOLS: readonly Protocol[] = [
  imminentDangerProtocol,
  crisisProtocol,
  minorProtocol,
  likelyTraffickingProtocol,
  labourExploitationProtocol,
  referralRequestProtocol,
  nonDataContactProtocol,
].map(assertValidProtocol);
