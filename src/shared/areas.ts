import { z } from 'zod';
import { localizedText } from './contact-form.js';

/** The admin areas a hotline records locations in (first level, optionally a second), configurable per hotline. */
export const areasSchema = z
  .object({ areas: z.array(z.object({ code: z.string().regex(/^[A-Z0-9-]{1,20}$/), name: localizedText, parent: z.string().optional() }).strict()).max(5000) })
  .strict();
export type Areas = z.infer<typeof areasSchema>;

const same = (name: string) => ({ en: name, es: name, fr: name });

/** Shipped defaults for the demo countries (ISO 3166-2 codes); other hotlines configure their own. */
export const DEFAULT_AREAS: Record<string, Areas> = {
  CA: {
    areas: [
      { code: 'CA-AB', name: same('Alberta') }, { code: 'CA-BC', name: { en: 'British Columbia', es: 'Columbia Británica', fr: 'Colombie-Britannique' } },
      { code: 'CA-MB', name: same('Manitoba') }, { code: 'CA-NB', name: { en: 'New Brunswick', es: 'Nuevo Brunswick', fr: 'Nouveau-Brunswick' } },
      { code: 'CA-NL', name: { en: 'Newfoundland and Labrador', es: 'Terranova y Labrador', fr: 'Terre-Neuve-et-Labrador' } },
      { code: 'CA-NS', name: { en: 'Nova Scotia', es: 'Nueva Escocia', fr: 'Nouvelle-Écosse' } }, { code: 'CA-NT', name: { en: 'Northwest Territories', es: 'Territorios del Noroeste', fr: 'Territoires du Nord-Ouest' } },
      { code: 'CA-NU', name: same('Nunavut') }, { code: 'CA-ON', name: same('Ontario') },
      { code: 'CA-PE', name: { en: 'Prince Edward Island', es: 'Isla del Príncipe Eduardo', fr: 'Île-du-Prince-Édouard' } },
      { code: 'CA-QC', name: { en: 'Quebec', es: 'Quebec', fr: 'Québec' } }, { code: 'CA-SK', name: same('Saskatchewan') }, { code: 'CA-YT', name: same('Yukon') },
    ],
  },
  MX: {
    areas: [
      { code: 'MX-BCN', name: same('Baja California') }, { code: 'MX-CHP', name: same('Chiapas') }, { code: 'MX-CHH', name: same('Chihuahua') },
      { code: 'MX-CMX', name: { en: 'Mexico City', es: 'Ciudad de México', fr: 'Mexico' } }, { code: 'MX-GRO', name: same('Guerrero') }, { code: 'MX-JAL', name: same('Jalisco') },
      { code: 'MX-MEX', name: { en: 'State of Mexico', es: 'Estado de México', fr: 'État de Mexico' } }, { code: 'MX-NLE', name: { en: 'Nuevo León', es: 'Nuevo León', fr: 'Nuevo León' } },
      { code: 'MX-OAX', name: same('Oaxaca') }, { code: 'MX-PUE', name: same('Puebla') }, { code: 'MX-ROO', name: same('Quintana Roo') }, { code: 'MX-VER', name: same('Veracruz') },
    ],
  },
};
