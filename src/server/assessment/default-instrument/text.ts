import type { InstrumentInput } from '../../../shared/assessment/instrument.schema.js';
import { localized } from '../../../shared/assessment/vocabulary.js';

export type ItemInput = InstrumentInput['items'][number];

/** English, Spanish, French — in that order, always all three. */
export const text = localized;

/** Most items are yes/no questions worded so that "yes" is the concern. */
export function yesNo(item: Omit<ItemInput, 'answer'>): ItemInput {
  return { ...item, answer: { type: 'yes_no' } };
}

export const ALL_AGES: ('adult' | 'minor')[] = ['adult', 'minor'];
export const BOTH_TYPES: ('sex' | 'labour')[] = ['sex', 'labour'];
