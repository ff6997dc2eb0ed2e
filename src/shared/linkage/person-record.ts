import { z } from 'zod';

/**
 * The columns a person-record CSV may carry, in the order we write them.
 * Only `id` is required; every other column may be absent or empty.
 */
export const PERSON_RECORD_COLUMNS = [
  'id',
  'given_names',
  'family_names',
  'date_of_birth',
  'sex',
  'phone',
  'email',
  'street',
  'city',
  'admin_area',
  'postcode',
  'country',
] as const;

export type PersonRecordColumn = (typeof PERSON_RECORD_COLUMNS)[number];

const optionalText = z.string().max(500).optional();

/** One person as it arrives for linkage: raw text, exactly as typed by whoever recorded it. */
export const personRecordSchema = z.object({
  id: z.string().trim().min(1).max(200),
  given_names: optionalText,
  family_names: optionalText,
  date_of_birth: optionalText,
  sex: optionalText,
  phone: optionalText,
  email: optionalText,
  street: optionalText,
  city: optionalText,
  admin_area: optionalText,
  postcode: optionalText,
  country: optionalText,
});

export type PersonRecord = z.infer<typeof personRecordSchema>;

/** How ambiguous slash dates such as 03/04/1990 are read: day first (most of the world) or month first (US). */
export const dateOrderSchema = z.enum(['dmy', 'mdy']);
export type DateOrder = z.infer<typeof dateOrderSchema>;

/** Options a caller may set; thresholds are total log2 match weights (see docs/linkage.md). */
export const linkageOptionsSchema = z.object({
  /** Pairs scoring at or above this are matches. */
  matchThreshold: z.number().finite().optional(),
  /** Pairs scoring at or above this but below matchThreshold go to human review. */
  reviewThreshold: z.number().finite().optional(),
  dateOrder: dateOrderSchema.default('dmy'),
  /** Blocks larger than this are not compared all-against-all but by a sorted window (see blocking). */
  maxBlockSize: z.number().int().min(10).default(100),
  /** Window used inside oversized blocks. */
  oversizedBlockWindow: z.number().int().min(2).default(20),
  /** Iterations of expectation–maximisation for the share of matching pairs (see docs/linkage.md). */
  emIterations: z.number().int().min(1).max(200).default(30),
  /** Random pairs sampled to estimate u probabilities. */
  uSampleSize: z.number().int().min(1000).default(300_000),
  seed: z.number().int().default(1),
});

export type LinkageOptionsInput = z.input<typeof linkageOptionsSchema>;
export type LinkageOptions = z.output<typeof linkageOptionsSchema>;

/** The verdict on one compared pair. */
export type PairClass = 'match' | 'review';

export const COMPARED_FIELDS = ['given_names', 'family_names', 'date_of_birth', 'sex', 'phone', 'email', 'address'] as const;
export type ComparedField = (typeof COMPARED_FIELDS)[number];
