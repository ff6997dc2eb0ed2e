import type { InstrumentInput } from '../../../shared/assessment/instrument.schema.js';
import { assertValidInstrument } from '../../../shared/assessment/instrument.validate.js';
import { POLARIS_TYPOLOGY_SOURCE } from '../../../shared/assessment/polaris-typology.js';
import { actionItems, purposeItems } from './amp-items.js';
import { conditionItems, minorItems } from './condition-items.js';
import { contextItems } from './context-items.js';
import { meansItems } from './means-items.js';
import { defaultRules } from './rules.js';
import { text } from './text.js';

/**
 * Catalyst's default trafficking assessment instrument, shipped as data. Hotlines start from it and publish their
 * own versions; the item wording is written for Catalyst (no proprietary screening tool is copied).
 */
export const DEFAULT_INSTRUMENT_ID = 'catalyst-default';

export const defaultInstrumentData: InstrumentInput = {
  id: DEFAULT_INSTRUMENT_ID,
  version: 1,
  title: text(
    'Catalyst trafficking assessment (default)',
    'Evaluación de trata de Catalyst (predeterminada)',
    'Évaluation de la traite Catalyst (par défaut)',
  ),
  minorAgeBelow: 18,
  sources: [
    'AMP model (action, means, purpose): Polaris, "Understanding Human Trafficking", polarisproject.org/understanding-human-trafficking; 22 U.S.C. § 7102',
    'ILO, "ILO indicators of Forced Labour" (2012): the 11 indicators',
    'Polaris, "Recognize the signs": red-flag groups work and living conditions, lack of control, physical health, mental health',
    POLARIS_TYPOLOGY_SOURCE,
  ],
  items: [...contextItems, ...purposeItems, ...actionItems, ...meansItems, ...conditionItems, ...minorItems],
  rules: defaultRules,
};

/** Validated once at load: a broken default instrument is a fault of this codebase, so it throws. */
export const DEFAULT_INSTRUMENT = assertValidInstrument(defaultInstrumentData);
