import type { Channel, ContactStatus, RequestType, SignalerType } from '../../../shared/intake.js';

// The shared vocabulary (src/shared/intake.ts) as plain lists: importing the module itself would pull zod into the
// advocate console bundle. `satisfies` keeps these in step with the shared types at compile time.
export const CHANNELS = ['phone', 'sms', 'whatsapp', 'chat', 'email', 'webform', 'other'] as const satisfies readonly Channel[];
export const SIGNALER_TYPES = ['potential_victim', 'survivor', 'family_or_friend', 'community_member', 'professional', 'law_enforcement', 'anonymous'] as const satisfies readonly SignalerType[];
export const DATA_REQUEST_TYPES = ['crisis', 'tip', 'referral_request', 'general_information', 'training_ta', 'high_risk'] as const satisfies readonly RequestType[];
export const NON_DATA_REQUEST_TYPES = ['hang_up', 'silent', 'wrong_number', 'abusive', 'test'] as const satisfies readonly RequestType[];
export const HEARD_ABOUT = ['internet_search', 'social_media', 'poster_or_flyer', 'tv_or_radio', 'ngo_or_service_provider', 'law_enforcement', 'friend_or_family', 'previous_contact', 'school_or_training', 'other', 'unknown'] as const;
export const CONTACT_FLAGS = ['imminent_danger', 'suicide_risk', 'medical_emergency', 'minor'] as const;
export const AVAILABILITIES = ['available', 'busy', 'break', 'offline'] as const;
export const STATUSES = ['waiting', 'in_progress', 'wrap_up', 'closed'] as const satisfies readonly ContactStatus[];

export type ChannelName = (typeof CHANNELS)[number];
export type ContactFlag = (typeof CONTACT_FLAGS)[number];
export type Availability = (typeof AVAILABILITIES)[number];

/** Channels whose conversation the advocate answers in writing from the console. */
export const REPLY_CHANNELS = ['sms', 'whatsapp', 'email', 'chat'] as const;
