import { z } from 'zod';

/**
 * Catalyst's default need taxonomy for trafficking response, shipped as data. Each hotline gets a copy as HSDS
 * taxonomy terms (taxonomy CATALYST_NEEDS_TAXONOMY_ID) that it may rename, extend or retire; services are tagged
 * with needs through HSDS attributes. AIRS/211 codes can be stored on a term (`code`) but are not bundled (licence).
 * Ids are fixed UUIDs (v5-style, from "catalyst-need:<key>") so exports are stable across hotlines and installs.
 */
export const CATALYST_NEEDS_TAXONOMY_ID = 'f9a442c3-bc1b-520e-9909-7e18b990b0ac';

export const needLabelsSchema = z.object({ en: z.string().min(1), es: z.string().min(1), fr: z.string().min(1) });
export type NeedLabels = z.infer<typeof needLabelsSchema>;

export interface DefaultNeed {
  key: string;
  id: string;
  parent?: string;
  labels: NeedLabels;
}

export const DEFAULT_NEEDS: readonly DefaultNeed[] = [
  { key: 'shelter', id: '9ee64474-9d1a-57e0-8b25-bb94791dc29f', labels: { en: 'Shelter', es: 'Albergue', fr: 'Hébergement' } },
  { key: 'emergency_shelter', id: 'e3200608-e59c-55e1-b8bb-a6e6e784b9c2', parent: 'shelter', labels: { en: 'Emergency shelter', es: 'Albergue de emergencia', fr: "Hébergement d'urgence" } },
  { key: 'legal', id: '4e9f45e6-62e5-5f3e-940c-7d8649f975ff', labels: { en: 'Legal assistance', es: 'Asistencia jurídica', fr: 'Aide juridique' } },
  { key: 'immigration', id: 'b6f0ab72-12f2-5165-bd15-9de79f82b143', parent: 'legal', labels: { en: 'Immigration assistance', es: 'Asistencia migratoria', fr: 'Aide en matière d’immigration' } },
  { key: 'medical', id: '47555bbe-2813-5d76-8f15-43503c70e4c5', labels: { en: 'Medical care', es: 'Atención médica', fr: 'Soins médicaux' } },
  { key: 'mental_health', id: '6294db3b-4184-5936-936f-14af7b37228b', labels: { en: 'Mental health', es: 'Salud mental', fr: 'Santé mentale' } },
  { key: 'case_management', id: '049e38c9-c15a-5eea-8a0f-8f1882e12075', labels: { en: 'Case management', es: 'Gestión de casos', fr: 'Gestion de cas' } },
  { key: 'labour_rights', id: 'f6aaf5ac-c79d-59fe-b953-a5b1b13896ed', labels: { en: 'Labour rights', es: 'Derechos laborales', fr: 'Droits du travail' } },
  { key: 'repatriation', id: 'efc67880-871b-5f36-bdaf-c558d131f468', labels: { en: 'Repatriation', es: 'Repatriación', fr: 'Rapatriement' } },
  { key: 'interpretation', id: 'db0259e5-4b06-52de-94b1-90e6f5424ece', labels: { en: 'Interpretation', es: 'Interpretación', fr: 'Interprétation' } },
  { key: 'transport', id: 'd46e2a2f-e8df-58ca-9362-989c66688e0c', labels: { en: 'Transport', es: 'Transporte', fr: 'Transport' } },
  { key: 'substance_use', id: '2a3aa6e7-5d57-5484-9654-67c6460e7f31', labels: { en: 'Substance use support', es: 'Apoyo por consumo de sustancias', fr: 'Soutien en toxicomanie' } },
  { key: 'child_protection', id: '43ade582-24f6-5167-9d76-b74022285836', labels: { en: 'Child protection', es: 'Protección de la infancia', fr: "Protection de l'enfance" } },
  { key: 'food_clothing', id: '110d591e-7d1d-5db9-943d-5541ac040b1f', labels: { en: 'Food and clothing', es: 'Alimentos y ropa', fr: 'Nourriture et vêtements' } },
  { key: 'financial_assistance', id: 'e34102e8-2fe4-56ca-aee4-4e17b3006890', labels: { en: 'Financial assistance', es: 'Ayuda económica', fr: 'Aide financière' } },
  { key: 'employment', id: 'f0b97526-e6a5-5b30-907d-71565627446b', labels: { en: 'Employment support', es: 'Apoyo para el empleo', fr: "Aide à l'emploi" } },
  { key: 'education', id: 'a3bbbbc1-4305-5f11-a9b5-cd6b2fd13d36', labels: { en: 'Education and training', es: 'Educación y formación', fr: 'Éducation et formation' } },
  { key: 'safety_planning', id: 'efa1278d-608b-5618-a42b-f8ed27ad7a91', labels: { en: 'Safety planning', es: 'Plan de seguridad', fr: 'Plan de sécurité' } },
  { key: 'law_enforcement', id: '32cd0ed2-4453-5cd3-b7f9-0ea373aa18a7', labels: { en: 'Law enforcement liaison', es: 'Enlace con las fuerzas del orden', fr: 'Liaison avec les forces de l’ordre' } },
  { key: 'family_reunification', id: 'ab241f05-a2af-52e2-8544-864420de58de', labels: { en: 'Family reunification', es: 'Reunificación familiar', fr: 'Réunification familiale' } },
  { key: 'documentation', id: '029bbaf2-0135-5b1e-90a9-bb4a547890f0', labels: { en: 'Identity documents', es: 'Documentos de identidad', fr: "Pièces d'identité" } },
];

/** What a partner accepts (Catalyst partner data beside HSDS). null = not known. */
export const ACCEPTS_FLAGS = ['warm_transfers', 'after_hours', 'minors', 'men', 'foreign_nationals', 'lgbtq'] as const;
export type AcceptsFlag = (typeof ACCEPTS_FLAGS)[number];

export const VETTING_STATUSES = ['prospective', 'vetted', 'suspended', 'ended'] as const;
export type VettingStatus = (typeof VETTING_STATUSES)[number];

const isoDate = z.iso.date();
export const partnerProfileSchema = z.object({
  vettingStatus: z.enum(VETTING_STATUSES).optional(),
  vettingEvidence: z.string().max(10_000).nullable().optional(),
  reviewDueOn: isoDate.nullable().optional(),
  mouSignedOn: isoDate.nullable().optional(),
  mouExpiresOn: isoDate.nullable().optional(),
  accepts: z.object(Object.fromEntries(ACCEPTS_FLAGS.map((f) => [f, z.boolean().nullable().optional()])) as Record<AcceptsFlag, z.ZodOptional<z.ZodNullable<z.ZodBoolean>>>).strict().optional(),
  referralProtocol: z.string().max(20_000).nullable().optional(),
  /** IANA time zone of the partner, for "open now" (HSDS 3.0 schedules carry only a UTC offset). */
  timeZone: z.string().max(64).nullable().optional(),
  /**
   * The jurisdiction agency (an id from the hotline's reporting rules) this organisation is, e.g. the police
   * trafficking unit: reports to that agency then reach it as referrals, and ordinary referrals to it are refused.
   */
  reportingAgencyId: z.string().min(1).max(100).nullable().optional(),
}).strict();
export type PartnerProfileInput = z.infer<typeof partnerProfileSchema>;

/** The HSDS read API's query (page numbers start at 1, as in the HSDS OpenAPI examples). */
export const hsdsListQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  per_page: z.coerce.number().int().min(1).max(100).default(25),
  search: z.string().max(200).optional(),
  organization_id: z.string().max(64).optional(),
  taxonomy_term_id: z.string().max(64).optional(),
  modified_after: z.union([z.iso.datetime({ offset: true }), z.iso.date()]).optional(),
});
export const hsdsHotlineParams = z.object({ hotline: z.string().min(1).max(64) });
export const hsdsIdParams = z.object({ hotline: z.string().min(1).max(64), id: z.string().min(1).max(64) });
