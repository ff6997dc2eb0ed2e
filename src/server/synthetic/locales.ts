/*
 * Word lists for synthetic people and places in English, Spanish and French. They are common given and family names
 * and real place names, combined at random: no record describes a real person.
 */
export type Culture = 'en' | 'es' | 'fr';

export const GIVEN_NAMES: Record<Culture, { female: string[]; male: string[] }> = {
  en: {
    female: ['Emily', 'Sarah', 'Jessica', 'Ashley', 'Hannah', 'Olivia', 'Grace', 'Chloe', 'Megan', 'Rebecca', 'Abigail', 'Samantha', 'Lauren', 'Kayla', 'Brittany', 'Amber'],
    male: ['James', 'Michael', 'Robert', 'William', 'David', 'Joseph', 'Daniel', 'Matthew', 'Andrew', 'Joshua', 'Ryan', 'Tyler', 'Brandon', 'Kevin', 'Jason', 'Justin'],
  },
  es: {
    female: ['María', 'Guadalupe', 'Lucía', 'Sofía', 'Valentina', 'Ximena', 'Inés', 'Mónica', 'Verónica', 'Rocío', 'Araceli', 'Ángela', 'Beatriz', 'Dolores', 'Itzel', 'Yesenia'],
    male: ['José', 'Juan', 'Francisco', 'Jesús', 'Luis', 'Andrés', 'Héctor', 'Raúl', 'Rubén', 'Martín', 'Ignacio', 'Óscar', 'Joaquín', 'Sebastián', 'Iván', 'Julián'],
  },
  fr: {
    female: ['Hélène', 'Léa', 'Chloé', 'Amélie', 'Céline', 'Élodie', 'Manon', 'Camille', 'Inès', 'Zoé', 'Anaïs', 'Maëlle', 'Noémie', 'Françoise', 'Gaëlle', 'Solène'],
    male: ['François', 'Jérôme', 'Théo', 'Étienne', 'Mathéo', 'Benoît', 'Loïc', 'Gaël', 'Rémi', 'Hervé', 'Cédric', 'Jean-Luc', 'Noël', 'Amaury', 'Baptiste', 'Grégoire'],
  },
};

export const FAMILY_NAMES: Record<Culture, string[]> = {
  en: ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor', 'Thomas', 'Moore', 'Martin', 'Thompson', 'White', 'Harris', 'Clarke', 'O’Neill', 'MacDonald', 'Campbell'],
  es: ['García', 'Hernández', 'Martínez', 'López', 'González', 'Pérez', 'Rodríguez', 'Sánchez', 'Ramírez', 'Cruz', 'Núñez', 'Peña', 'Jiménez', 'Gutiérrez', 'Ordóñez', 'Muñoz', 'Ibáñez', 'Vázquez', 'de la Rosa', 'Castañeda'],
  fr: ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Lefèvre', 'Côté', 'Bouchard', 'Gagnon', 'Bélanger', 'Lévesque', 'Pelletier', 'Gauthier', 'Fournier', 'Mercier'],
};

export interface CountryProfile {
  code: string;
  cultures: Culture[];
  phone: (digits: (n: number) => string) => string;
  /** Admin areas (first level) with a few cities each. */
  areas: { code: string; name: string; cities: string[] }[];
  emailDomains: string[];
}

export const COUNTRIES: Record<string, CountryProfile> = {
  CA: {
    code: 'CA',
    cultures: ['en', 'fr', 'es'],
    phone: (d) => `+1 (${pickArea(d, ['416', '514', '604', '613', '403', '902'])}) ${d(3)}-${d(4)}`,
    areas: [
      { code: 'CA-ON', name: 'Ontario', cities: ['Toronto', 'Ottawa', 'Hamilton', 'London', 'Windsor'] },
      { code: 'CA-QC', name: 'Québec', cities: ['Montréal', 'Québec', 'Laval', 'Gatineau', 'Trois-Rivières'] },
      { code: 'CA-BC', name: 'British Columbia', cities: ['Vancouver', 'Surrey', 'Victoria', 'Kelowna'] },
      { code: 'CA-AB', name: 'Alberta', cities: ['Calgary', 'Edmonton', 'Red Deer'] },
      { code: 'CA-NS', name: 'Nova Scotia', cities: ['Halifax', 'Sydney', 'Truro'] },
      { code: 'CA-MB', name: 'Manitoba', cities: ['Winnipeg', 'Brandon'] },
    ],
    emailDomains: ['example.ca', 'mail.example', 'courriel.example'],
  },
  MX: {
    code: 'MX',
    cultures: ['es'],
    phone: (d) => `+52 ${pickArea(d, ['55', '33', '81', '222', '664'])} ${d(4)} ${d(4)}`,
    areas: [
      { code: 'MX-CMX', name: 'Ciudad de México', cities: ['Ciudad de México', 'Iztapalapa', 'Coyoacán'] },
      { code: 'MX-JAL', name: 'Jalisco', cities: ['Guadalajara', 'Zapopan', 'Puerto Vallarta'] },
      { code: 'MX-NLE', name: 'Nuevo León', cities: ['Monterrey', 'San Nicolás de los Garza', 'Apodaca'] },
      { code: 'MX-PUE', name: 'Puebla', cities: ['Puebla', 'Tehuacán', 'Atlixco'] },
      { code: 'MX-BCN', name: 'Baja California', cities: ['Tijuana', 'Mexicali', 'Ensenada'] },
      { code: 'MX-CHP', name: 'Chiapas', cities: ['Tuxtla Gutiérrez', 'Tapachula', 'San Cristóbal de las Casas'] },
    ],
    emailDomains: ['correo.example', 'example.mx'],
  },
};

function pickArea(d: (n: number) => string, codes: string[]) {
  return codes[Number(d(2)) % codes.length];
}
