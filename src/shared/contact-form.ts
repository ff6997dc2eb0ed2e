import { z } from 'zod';
import { LOCALES } from './roles.js';
import { HEARD_ABOUT, REQUEST_TYPES, SIGNALER_TYPES } from './intake.js';

/** Text in every language the hotline works in: English is required, Spanish and French are expected. */
export const localizedText = z.object({ en: z.string().min(1).max(500), es: z.string().min(1).max(500).optional(), fr: z.string().min(1).max(500).optional() }).strict();
export type LocalizedText = z.infer<typeof localizedText>;

const fieldId = z.string().regex(/^[a-z][a-z0-9_]{0,49}$/, 'must be lower_snake_case, at most 50 characters');

export const formFieldSchema = z
  .object({
    id: fieldId,
    type: z.enum(['text', 'textarea', 'select', 'multiselect', 'boolean', 'number', 'date']),
    label: localizedText,
    help: localizedText.optional(),
    required: z.boolean().default(false),
    options: z.array(z.object({ value: z.string().regex(/^[a-z0-9_]{1,50}$/), label: localizedText }).strict()).max(200).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    /** A field shown only when another field has one of these values (skip logic). */
    showIf: z.object({ field: fieldId, equals: z.array(z.union([z.string(), z.boolean()])).min(1) }).strict().optional(),
  })
  .strict()
  .superRefine((field, ctx) => {
    if ((field.type === 'select' || field.type === 'multiselect') && !field.options?.length) ctx.addIssue({ code: 'custom', message: `field ${field.id}: a ${field.type} needs options` });
  });

/**
 * The hotline's contact form: the core fields every hotline has (signaler, request type, how they heard...) are
 * columns of the contact; these are the extra questions a hotline asks, versioned like all configuration.
 */
export const contactFormSchema = z
  .object({ fields: z.array(formFieldSchema).max(100) })
  .strict()
  .superRefine((form, ctx) => {
    const ids = new Set<string>();
    for (const field of form.fields) {
      if (ids.has(field.id)) ctx.addIssue({ code: 'custom', message: `field ${field.id} appears twice`, path: ['fields'] });
      ids.add(field.id);
    }
    for (const field of form.fields) {
      if (field.showIf && !ids.has(field.showIf.field)) ctx.addIssue({ code: 'custom', message: `field ${field.id}: showIf refers to unknown field ${field.showIf.field}`, path: ['fields'] });
    }
  });
export type ContactForm = z.infer<typeof contactFormSchema>;

/** The zod schema that validates one contact's answers to a form version. */
export function answersSchema(form: ContactForm) {
  const shape: Record<string, z.ZodType> = {};
  for (const field of form.fields) {
    let value: z.ZodType;
    switch (field.type) {
      case 'text': value = z.string().max(2000); break;
      case 'textarea': value = z.string().max(20000); break;
      case 'boolean': value = z.boolean(); break;
      case 'number': value = z.number().min(field.min ?? -1e9).max(field.max ?? 1e9); break;
      case 'date': value = z.iso.date(); break;
      case 'select': value = z.enum(field.options!.map((o) => o.value) as [string, ...string[]]); break;
      case 'multiselect': value = z.array(z.enum(field.options!.map((o) => o.value) as [string, ...string[]])).max(200); break;
    }
    shape[field.id] = field.required ? value : value.nullable().optional();
  }
  return z.object(shape).strict();
}

const t = (en: string, es: string, fr: string): LocalizedText => ({ en, es, fr });

export const DEFAULT_CONTACT_FORM: ContactForm = {
  fields: [
    {
      id: 'age_group', type: 'select', required: false, label: t('Age group of the person at risk', 'Grupo de edad de la persona en riesgo', 'Tranche d’âge de la personne à risque'),
      options: [
        { value: 'under_12', label: t('Under 12', 'Menor de 12', 'Moins de 12 ans') },
        { value: '12_17', label: t('12 to 17', 'De 12 a 17', '12 à 17 ans') },
        { value: '18_24', label: t('18 to 24', 'De 18 a 24', '18 à 24 ans') },
        { value: '25_plus', label: t('25 or older', '25 o más', '25 ans ou plus') },
        { value: 'unknown', label: t('Unknown', 'Desconocido', 'Inconnu') },
      ],
    },
    {
      id: 'safe_to_contact', type: 'boolean', required: false,
      label: t('Is it safe to contact the person back?', '¿Es seguro volver a contactar a la persona?', 'Peut-on recontacter la personne sans danger ?'),
    },
    {
      id: 'safe_contact_method', type: 'select', required: false, showIf: { field: 'safe_to_contact', equals: [true] },
      label: t('Safest way to reach them', 'Forma más segura de contactarla', 'Moyen le plus sûr de la joindre'),
      options: [
        { value: 'call', label: t('Phone call', 'Llamada', 'Appel') },
        { value: 'text', label: t('Text message', 'Mensaje de texto', 'Texto') },
        { value: 'email', label: t('Email', 'Correo electrónico', 'Courriel') },
      ],
    },
    {
      id: 'how_contact_ended', type: 'select', required: false, label: t('How the contact ended', 'Cómo terminó el contacto', 'Comment le contact s’est terminé'),
      options: [
        { value: 'completed', label: t('Completed', 'Completado', 'Terminé') },
        { value: 'disconnected', label: t('Disconnected', 'Se cortó', 'Coupé') },
        { value: 'transferred', label: t('Warm transfer', 'Transferencia directa', 'Transfert accompagné') },
      ],
    },
  ],
};

export const CORE_FIELD_OPTIONS = { signalerType: SIGNALER_TYPES, requestType: REQUEST_TYPES, heardAbout: HEARD_ABOUT, locales: LOCALES };
