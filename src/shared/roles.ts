/** Staff roles. A user may hold several. Partners see only what is shared with their organisation. */
export const ROLES = ['admin', 'supervisor', 'advocate', 'qa_reviewer', 'analyst', 'partner'] as const;
export type Role = (typeof ROLES)[number];

export const LOCALES = ['en', 'es', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];
