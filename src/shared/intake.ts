import { z } from 'zod';

/** The vocabulary of a contact (signal), shared by server, web app and CLI. See docs/intake.md. */
export const CHANNELS = ['phone', 'sms', 'whatsapp', 'chat', 'email', 'webform', 'other'] as const;
export type Channel = (typeof CHANNELS)[number];

export const DIRECTIONS = ['inbound', 'outbound'] as const;

export const SIGNALER_TYPES = ['potential_victim', 'survivor', 'family_or_friend', 'community_member', 'professional', 'law_enforcement', 'anonymous'] as const;
export type SignalerType = (typeof SIGNALER_TYPES)[number];

/** Request types (NHTH) and the non-data contact types that close quickly. */
export const DATA_REQUEST_TYPES = ['crisis', 'tip', 'referral_request', 'general_information', 'training_ta', 'high_risk'] as const;
export const NON_DATA_REQUEST_TYPES = ['hang_up', 'silent', 'wrong_number', 'abusive', 'test'] as const;
export const REQUEST_TYPES = [...DATA_REQUEST_TYPES, ...NON_DATA_REQUEST_TYPES] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

export const HEARD_ABOUT = ['internet_search', 'social_media', 'poster_or_flyer', 'tv_or_radio', 'ngo_or_service_provider', 'law_enforcement', 'friend_or_family', 'previous_contact', 'school_or_training', 'other', 'unknown'] as const;

/** Where a contact is in the live queue. */
export const CONTACT_STATUSES = ['waiting', 'in_progress', 'wrap_up', 'closed'] as const;
export type ContactStatus = (typeof CONTACT_STATUSES)[number];

export const CONTACT_FLAGS = ['minor', 'imminent_danger', 'suicide_risk', 'medical_emergency'] as const;
export const contactFlagsSchema = z.object(Object.fromEntries(CONTACT_FLAGS.map((f) => [f, z.boolean().optional()])) as Record<(typeof CONTACT_FLAGS)[number], z.ZodOptional<z.ZodBoolean>>).strict();
export type ContactFlags = z.infer<typeof contactFlagsSchema>;
