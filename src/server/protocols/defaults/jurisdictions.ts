import { localized as text } from '../../../shared/assessment/vocabulary.js';
import { jurisdictionRulesSchema, type JurisdictionRules, type JurisdictionRulesInput } from '../jurisdiction.schema.js';

/**
 * Two starting packs. They are templates, not legal advice: each hotline replaces the agencies with its designated
 * partners and checks every rule against its own law before use.
 */
const agencies: JurisdictionRulesInput['agencies'] = [
  {
    id: 'police_partner',
    name: text('Designated law-enforcement partner', 'Policía aliada designada', 'Service de police partenaire désigné'),
    kind: 'law_enforcement',
    receives: ['adult_trafficking', 'minor_trafficking', 'imminent_danger'],
  },
  {
    id: 'child_protection',
    name: text('Child protection services', 'Servicios de protección infantil', 'Services de protection de l’enfance'),
    kind: 'child_protection',
    receives: ['minor_trafficking'],
  },
  {
    id: 'labour_inspectorate',
    name: text('Labour inspectorate', 'Inspección del trabajo', 'Inspection du travail'),
    kind: 'labour_inspection',
    receives: ['adult_trafficking'],
  },
];

/** The NHTH model (DOMAIN.md §2 step 6): adults decide; minors and imminent danger are the exceptions. */
const consentFirst: JurisdictionRulesInput = {
  id: 'consent-first',
  version: 1,
  title: text('Consent first, mandatory reporting of minors', 'Consentimiento primero, reporte obligatorio de menores', 'Consentement d’abord, signalement obligatoire des mineurs'),
  summary: text(
    'Reports about adults need their consent unless there is imminent danger or a legal duty; every minor is reported to child protection.',
    'Los reportes sobre adultos requieren su consentimiento salvo peligro inminente u obligación legal; todo menor se reporta a protección infantil.',
    'Les signalements concernant des adultes exigent leur consentement sauf danger imminent ou obligation légale ; tout mineur est signalé à la protection de l’enfance.',
  ),
  agencies,
  policies: [
    { agencyKind: 'law_enforcement', requiresConsent: true, consentExceptions: ['minor', 'imminent_danger', 'legal_duty'], acceptedConsentGivers: ['victim'], supervisorApproval: 'when_without_consent' },
    { agencyKind: 'child_protection', requiresConsent: false, consentExceptions: [], acceptedConsentGivers: ['victim', 'parent_or_guardian'], supervisorApproval: 'always' },
    { agencyKind: 'labour_inspection', requiresConsent: true, consentExceptions: ['legal_duty'], acceptedConsentGivers: ['victim'], supervisorApproval: 'never' },
  ],
  mandatoryReports: [{ id: 'minor_to_child_protection', when: 'victim_is_minor', report: 'minor_trafficking', agencyKind: 'child_protection', withinHours: 24 }],
};

/** A stricter variant (the position of the 2023 state AG letter [S20]): trafficking reaches police without consent. */
const mandatoryReporting: JurisdictionRulesInput = {
  id: 'mandatory-reporting',
  version: 1,
  title: text('Mandatory reporting', 'Reporte obligatorio', 'Signalement obligatoire'),
  summary: text(
    'Law enforcement receives reports of likely trafficking, minors and imminent danger without consent, always with supervisor approval.',
    'La policía recibe reportes de trata probable, de menores y de peligro inminente sin consentimiento, siempre con aprobación de la supervisión.',
    'La police reçoit les signalements de traite probable, de mineurs et de danger imminent sans consentement, toujours avec l’approbation de la supervision.',
  ),
  agencies,
  policies: [
    { agencyKind: 'law_enforcement', requiresConsent: false, consentExceptions: [], acceptedConsentGivers: ['victim'], supervisorApproval: 'always' },
    { agencyKind: 'child_protection', requiresConsent: false, consentExceptions: [], acceptedConsentGivers: ['victim', 'parent_or_guardian'], supervisorApproval: 'always' },
    { agencyKind: 'labour_inspection', requiresConsent: true, consentExceptions: ['legal_duty'], acceptedConsentGivers: ['victim'], supervisorApproval: 'always' },
  ],
  mandatoryReports: [
    { id: 'minor_to_child_protection', when: 'victim_is_minor', report: 'minor_trafficking', agencyKind: 'child_protection', withinHours: 24 },
    { id: 'minor_to_police', when: 'victim_is_minor', report: 'minor_trafficking', agencyKind: 'law_enforcement', withinHours: 24 },
    { id: 'danger_to_police', when: 'imminent_danger', report: 'imminent_danger', agencyKind: 'law_enforcement', withinHours: 1 },
    { id: 'likely_trafficking_to_police', when: 'trafficking_level_high', report: 'adult_trafficking', agencyKind: 'law_enforcement', withinHours: 72 },
  ],
};

export const DEFAULT_JURISDICTIONS: readonly JurisdictionRules[] = [consentFirst, mandatoryReporting].map((pack) => jurisdictionRulesSchema.parse(pack));

export function defaultJurisdiction(id: string): JurisdictionRules | undefined {
  return DEFAULT_JURISDICTIONS.find((pack) => pack.id === id);
}
