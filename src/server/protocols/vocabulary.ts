import { z } from 'zod';

/** NHTH request types (DOMAIN.md §1 [S4][S5]) plus the non-data contact types of Aselo's call-type list [S50]. */
export const REQUEST_TYPES = [
  'crisis', 'tip', 'referral_request', 'general_information', 'training_ta', 'high_risk',
  'hang_up', 'silent', 'wrong_number', 'abusive', 'test',
] as const;
export const requestTypeSchema = z.enum(REQUEST_TYPES);
export type RequestType = z.infer<typeof requestTypeSchema>;
export const NON_DATA_REQUEST_TYPES: readonly RequestType[] = ['hang_up', 'silent', 'wrong_number', 'abusive', 'test'];

/** Facts the advocate records on a contact that change the response, whatever the assessment says. */
export const CONTACT_FLAGS = ['minor', 'imminent_danger', 'suicide_risk', 'medical_emergency'] as const;
export const contactFlagSchema = z.enum(CONTACT_FLAGS);
export type ContactFlag = z.infer<typeof contactFlagSchema>;

export const STAFF_ROLES = ['advocate', 'supervisor'] as const;
export const staffRoleSchema = z.enum(STAFF_ROLES);
export type StaffRole = z.infer<typeof staffRoleSchema>;
