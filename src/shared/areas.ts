import { z } from 'zod';
import { localizedText } from './contact-form.js';

/** The admin areas a hotline records locations in (first level, optionally a second), configurable per hotline. */
export const areasSchema = z
  .object({
    areas: z
      .array(
        z
          .object({
            code: z.string().regex(/^[A-Z0-9-]{1,20}$/),
            name: localizedText,
            parent: z.string().optional(),
            /** A representative point inside the area (WGS 84), where the metrics map draws its figure. */
            lat: z.number().min(-90).max(90).optional(),
            lon: z.number().min(-180).max(180).optional(),
          })
          .strict()
          .refine((a) => (a.lat === undefined) === (a.lon === undefined), { message: 'give both lat and lon, or neither', path: ['lon'] }),
      )
      .max(5000),
  })
  .strict();
export type Areas = z.infer<typeof areasSchema>;

const same = (name: string) => ({ en: name, es: name, fr: name });

/**
 * Shipped defaults for the demo countries (ISO 3166-2 codes); other hotlines configure their own. The points are
 * rough representative points inside each area (for the metrics map), not official centroids.
 */
export const DEFAULT_AREAS: Record<string, Areas> = {
  CA: {
    areas: [
      { code: 'CA-AB', name: same('Alberta'), lat: 55.0, lon: -115.0 }, { code: 'CA-BC', name: { en: 'British Columbia', es: 'Columbia Británica', fr: 'Colombie-Britannique' }, lat: 54.0, lon: -125.0 },
      { code: 'CA-MB', name: same('Manitoba'), lat: 55.0, lon: -97.5 }, { code: 'CA-NB', name: { en: 'New Brunswick', es: 'Nuevo Brunswick', fr: 'Nouveau-Brunswick' }, lat: 46.6, lon: -66.4 },
      { code: 'CA-NL', name: { en: 'Newfoundland and Labrador', es: 'Terranova y Labrador', fr: 'Terre-Neuve-et-Labrador' }, lat: 48.9, lon: -56.0 },
      { code: 'CA-NS', name: { en: 'Nova Scotia', es: 'Nueva Escocia', fr: 'Nouvelle-Écosse' }, lat: 45.0, lon: -63.2 }, { code: 'CA-NT', name: { en: 'Northwest Territories', es: 'Territorios del Noroeste', fr: 'Territoires du Nord-Ouest' }, lat: 64.5, lon: -120.0 },
      { code: 'CA-NU', name: same('Nunavut'), lat: 66.0, lon: -92.0 }, { code: 'CA-ON', name: same('Ontario'), lat: 50.0, lon: -86.0 },
      { code: 'CA-PE', name: { en: 'Prince Edward Island', es: 'Isla del Príncipe Eduardo', fr: 'Île-du-Prince-Édouard' }, lat: 46.4, lon: -63.2 },
      { code: 'CA-QC', name: { en: 'Quebec', es: 'Quebec', fr: 'Québec' }, lat: 52.0, lon: -72.0 }, { code: 'CA-SK', name: same('Saskatchewan'), lat: 54.5, lon: -106.0 }, { code: 'CA-YT', name: same('Yukon'), lat: 63.5, lon: -135.5 },
    ],
  },
  MX: {
    areas: [
      { code: 'MX-BCN', name: same('Baja California'), lat: 30.6, lon: -115.3 }, { code: 'MX-CHP', name: same('Chiapas'), lat: 16.5, lon: -92.6 }, { code: 'MX-CHH', name: same('Chihuahua'), lat: 28.8, lon: -106.4 },
      { code: 'MX-CMX', name: { en: 'Mexico City', es: 'Ciudad de México', fr: 'Mexico' }, lat: 19.4, lon: -99.1 }, { code: 'MX-GRO', name: same('Guerrero'), lat: 17.6, lon: -99.8 }, { code: 'MX-JAL', name: same('Jalisco'), lat: 20.6, lon: -103.6 },
      { code: 'MX-MEX', name: { en: 'State of Mexico', es: 'Estado de México', fr: 'État de Mexico' }, lat: 19.4, lon: -99.7 }, { code: 'MX-NLE', name: { en: 'Nuevo León', es: 'Nuevo León', fr: 'Nuevo León' }, lat: 25.6, lon: -99.9 },
      { code: 'MX-OAX', name: same('Oaxaca'), lat: 17.0, lon: -96.4 }, { code: 'MX-PUE', name: same('Puebla'), lat: 19.0, lon: -97.9 }, { code: 'MX-ROO', name: same('Quintana Roo'), lat: 19.6, lon: -88.1 }, { code: 'MX-VER', name: same('Veracruz'), lat: 19.3, lon: -96.4 },
    ],
  },
};
