/** The main areas of Catalyst, in the order advocates meet them during a shift. */
export const AREAS = [
  'queue',
  'contacts',
  'cases',
  'directory',
  'referrals',
  'scheduling',
  'quality',
  'reports',
] as const;

export type Area = (typeof AREAS)[number];
