/**
 * Word lists for the synthetic benchmark, by language flavour. Ordered roughly from common to rare:
 * the generator draws them with a Zipf-like skew so that, as in real caseloads, many different people
 * share a handful of names. Invented combinations of common names, never real people.
 */
export type Flavour = 'en' | 'es' | 'fr';

export interface FlavourData {
  femaleNames: string[];
  maleNames: string[];
  familyNames: string[];
  streetNames: string[];
  streetTypes: string[];
  /** Places: city, admin area, country code, phone area codes, postcode prefix. */
  places: Place[];
  emailDomains: string[];
}

export interface Place {
  city: string;
  adminArea: string;
  country: 'US' | 'MX' | 'ES' | 'FR';
  areaCodes: string[];
  postcodePrefix: string;
}

const SPANISH_PLACES: Place[] = [
  { city: 'Ciudad de México', adminArea: 'CDMX', country: 'MX', areaCodes: ['55', '56'], postcodePrefix: '0' },
  { city: 'Guadalajara', adminArea: 'Jalisco', country: 'MX', areaCodes: ['33'], postcodePrefix: '44' },
  { city: 'Monterrey', adminArea: 'Nuevo León', country: 'MX', areaCodes: ['81'], postcodePrefix: '64' },
  { city: 'Tijuana', adminArea: 'Baja California', country: 'MX', areaCodes: ['664'], postcodePrefix: '22' },
  { city: 'Puebla', adminArea: 'Puebla', country: 'MX', areaCodes: ['222'], postcodePrefix: '72' },
  { city: 'Cancún', adminArea: 'Quintana Roo', country: 'MX', areaCodes: ['998'], postcodePrefix: '77' },
  { city: 'Oaxaca de Juárez', adminArea: 'Oaxaca', country: 'MX', areaCodes: ['951'], postcodePrefix: '68' },
  { city: 'Ciudad Juárez', adminArea: 'Chihuahua', country: 'MX', areaCodes: ['656'], postcodePrefix: '32' },
  { city: 'Madrid', adminArea: 'Madrid', country: 'ES', areaCodes: ['6', '91'], postcodePrefix: '28' },
  { city: 'Barcelona', adminArea: 'Cataluña', country: 'ES', areaCodes: ['6', '93'], postcodePrefix: '08' },
  { city: 'Sevilla', adminArea: 'Andalucía', country: 'ES', areaCodes: ['6', '95'], postcodePrefix: '41' },
  { city: 'Valencia', adminArea: 'Comunidad Valenciana', country: 'ES', areaCodes: ['6', '96'], postcodePrefix: '46' },
  { city: 'Málaga', adminArea: 'Andalucía', country: 'ES', areaCodes: ['6', '95'], postcodePrefix: '29' },
  { city: 'Los Angeles', adminArea: 'CA', country: 'US', areaCodes: ['213', '323', '818'], postcodePrefix: '900' },
  { city: 'Houston', adminArea: 'TX', country: 'US', areaCodes: ['713', '832'], postcodePrefix: '770' },
];

const ENGLISH_PLACES: Place[] = [
  { city: 'New York', adminArea: 'NY', country: 'US', areaCodes: ['212', '718', '917'], postcodePrefix: '100' },
  { city: 'Chicago', adminArea: 'IL', country: 'US', areaCodes: ['312', '773'], postcodePrefix: '606' },
  { city: 'Atlanta', adminArea: 'GA', country: 'US', areaCodes: ['404', '678'], postcodePrefix: '303' },
  { city: 'Las Vegas', adminArea: 'NV', country: 'US', areaCodes: ['702'], postcodePrefix: '891' },
  { city: 'Miami', adminArea: 'FL', country: 'US', areaCodes: ['305', '786'], postcodePrefix: '331' },
  { city: 'Seattle', adminArea: 'WA', country: 'US', areaCodes: ['206'], postcodePrefix: '981' },
  { city: 'Dallas', adminArea: 'TX', country: 'US', areaCodes: ['214', '469'], postcodePrefix: '752' },
  { city: 'Phoenix', adminArea: 'AZ', country: 'US', areaCodes: ['602', '480'], postcodePrefix: '850' },
  { city: 'Denver', adminArea: 'CO', country: 'US', areaCodes: ['303', '720'], postcodePrefix: '802' },
  { city: 'Baltimore', adminArea: 'MD', country: 'US', areaCodes: ['410', '443'], postcodePrefix: '212' },
  { city: 'Portland', adminArea: 'OR', country: 'US', areaCodes: ['503', '971'], postcodePrefix: '972' },
  { city: 'Houston', adminArea: 'TX', country: 'US', areaCodes: ['713', '832'], postcodePrefix: '770' },
];

const FRENCH_PLACES: Place[] = [
  { city: 'Paris', adminArea: 'Île-de-France', country: 'FR', areaCodes: ['6', '7', '1'], postcodePrefix: '750' },
  { city: 'Marseille', adminArea: "Provence-Alpes-Côte d'Azur", country: 'FR', areaCodes: ['6', '7', '4'], postcodePrefix: '130' },
  { city: 'Lyon', adminArea: 'Auvergne-Rhône-Alpes', country: 'FR', areaCodes: ['6', '7', '4'], postcodePrefix: '690' },
  { city: 'Toulouse', adminArea: 'Occitanie', country: 'FR', areaCodes: ['6', '7', '5'], postcodePrefix: '310' },
  { city: 'Nice', adminArea: "Provence-Alpes-Côte d'Azur", country: 'FR', areaCodes: ['6', '7', '4'], postcodePrefix: '060' },
  { city: 'Lille', adminArea: 'Hauts-de-France', country: 'FR', areaCodes: ['6', '7', '3'], postcodePrefix: '590' },
  { city: 'Bordeaux', adminArea: 'Nouvelle-Aquitaine', country: 'FR', areaCodes: ['6', '7', '5'], postcodePrefix: '330' },
  { city: 'Saint-Denis', adminArea: 'Île-de-France', country: 'FR', areaCodes: ['6', '7', '1'], postcodePrefix: '932' },
  { city: 'Strasbourg', adminArea: 'Grand Est', country: 'FR', areaCodes: ['6', '7', '3'], postcodePrefix: '670' },
  { city: 'Nantes', adminArea: 'Pays de la Loire', country: 'FR', areaCodes: ['6', '7', '2'], postcodePrefix: '440' },
];

export const FLAVOURS: Record<Flavour, FlavourData> = {
  es: {
    femaleNames: [
      'María', 'Guadalupe', 'Juana', 'Rosa', 'Ana', 'María José', 'Carmen', 'Verónica', 'Leticia', 'Alejandra',
      'Sofía', 'Lucía', 'Daniela', 'Valentina', 'Fernanda', 'Ximena', 'Andrea', 'Gabriela', 'Patricia', 'Laura',
      'Isabel', 'Dolores', 'Mercedes', 'Rosario', 'Concepción', 'Teresa', 'Cristina', 'Beatriz', 'Elena', 'Marta',
      'Claudia', 'Adriana', 'Yolanda', 'Araceli', 'Esperanza', 'Itzel', 'Brenda', 'Karla', 'Mónica', 'Silvia',
      'Norma', 'Diana', 'Paola', 'Jimena', 'Natalia', 'Paula', 'Irene', 'Nuria', 'Raquel', 'Inés', 'Noemí',
      'Maribel', 'Montserrat', 'Rocío', 'Pilar', 'Consuelo', 'Estefanía', 'Xóchitl', 'Citlali', 'Nayeli', 'Yesenia',
      'Abril', 'Regina', 'Renata', 'Camila', 'Mariana', 'Belén', 'Soledad', 'Amparo', 'Remedios',
    ],
    maleNames: [
      'José', 'Juan', 'Luis', 'Carlos', 'Francisco', 'Jesús', 'Miguel', 'Antonio', 'Alejandro', 'Manuel',
      'Pedro', 'Ricardo', 'Fernando', 'Jorge', 'Javier', 'Roberto', 'Eduardo', 'Rafael', 'Sergio', 'Daniel',
      'José Luis', 'José María', 'Juan Carlos', 'Ignacio', 'Enrique', 'Guillermo', 'Alberto', 'Raúl', 'Óscar', 'Héctor',
      'Andrés', 'Diego', 'Santiago', 'Mateo', 'Sebastián', 'Emiliano', 'Joaquín', 'Ramón', 'Rubén', 'Arturo',
      'Armando', 'Salvador', 'Gerardo', 'Martín', 'Víctor', 'Hugo', 'Iván', 'Adrián', 'Álvaro', 'Gonzalo',
      'Rodrigo', 'Esteban', 'Cuauhtémoc', 'Efraín', 'Leonel', 'Gustavo', 'Marco Antonio', 'Julián', 'Tomás', 'Agustín',
      'Abel', 'Ulises', 'Benito', 'Osvaldo', 'Isidro', 'Fidel', 'Bernardo', 'Lorenzo', 'Nicolás',
    ],
    familyNames: [
      'García', 'Hernández', 'Martínez', 'López', 'González', 'Pérez', 'Rodríguez', 'Sánchez', 'Ramírez', 'Cruz',
      'Flores', 'Gómez', 'Morales', 'Vázquez', 'Reyes', 'Jiménez', 'Torres', 'Díaz', 'Gutiérrez', 'Ruiz',
      'Mendoza', 'Aguilar', 'Ortiz', 'Moreno', 'Castillo', 'Romero', 'Álvarez', 'Méndez', 'Chávez', 'Rivera',
      'Juárez', 'Ramos', 'Domínguez', 'Herrera', 'Medina', 'Castro', 'Vargas', 'Guzmán', 'Velázquez', 'Muñoz',
      'Rojas', 'Contreras', 'Salazar', 'Luna', 'Ortega', 'Santiago', 'Guerrero', 'Estrada', 'Bautista', 'Cortés',
      'Soto', 'Alvarado', 'Espinoza', 'Lara', 'Ávila', 'Ríos', 'Cervantes', 'Silva', 'Delgado', 'Vega',
      'Márquez', 'Sandoval', 'Carrillo', 'León', 'Mejía', 'Solís', 'Núñez', 'Rosas', 'Valdez', 'Ibarra',
      'Campos', 'Navarro', 'Robles', 'Acosta', 'Molina', 'Pacheco', 'Fuentes', 'Cabrera', 'Zamora', 'Miranda',
      'Serrano', 'Blanco', 'Suárez', 'Iglesias', 'Ibáñez', 'Peña', 'Montero', 'Calvo', 'Gallego', 'Vidal',
      'Prieto', 'Crespo', 'Pascual', 'Sáez', 'Herrero', 'Lozano', 'Santana', 'Quintero', 'Benítez', 'Figueroa',
      'Cisneros', 'Galindo', 'Villanueva', 'Tapia', 'Zúñiga', 'Escobar', 'Arellano', 'Maldonado', 'Orozco', 'Trujillo',
      'Ochoa', 'Barrera', 'Bravo', 'Cuevas', 'Villalobos', 'Valencia', 'Osorio', 'Quiroz', 'Olvera', 'Pineda',
      'de la Cruz', 'de León', 'del Río', 'de los Santos', 'Xicoténcatl', 'Tlatelpa', 'Huerta', 'Paredes', 'Beltrán', 'Arriaga',
    ],
    streetNames: [
      'Reforma', 'Insurgentes', 'Juárez', 'Hidalgo', 'Morelos', 'Madero', 'Zaragoza', 'Revolución', 'Constitución', 'Independencia',
      'Mayor', 'Alcalá', 'Gran Vía', 'Serrano', 'de la Paz', 'del Carmen', 'San Juan', 'Libertad', 'Benito Juárez', 'Allende',
      'Guerrero', 'Aldama', 'Emiliano Zapata', 'Lázaro Cárdenas', 'de las Flores', 'del Sol', 'Colón', 'Cervantes', 'Goya', 'Velázquez',
    ],
    streetTypes: ['Calle', 'C/', 'Avenida', 'Av.', 'Calzada', 'Boulevard', 'Paseo'],
    places: SPANISH_PLACES,
    emailDomains: ['gmail.com', 'hotmail.com', 'yahoo.com.mx', 'outlook.es', 'hotmail.es', 'prodigy.net.mx'],
  },
  en: {
    femaleNames: [
      'Mary', 'Jennifer', 'Jessica', 'Ashley', 'Sarah', 'Elizabeth', 'Emily', 'Amanda', 'Brittany', 'Samantha',
      'Stephanie', 'Nicole', 'Megan', 'Lauren', 'Rachel', 'Amber', 'Danielle', 'Heather', 'Tiffany', 'Melissa',
      'Katherine', 'Margaret', 'Patricia', 'Susan', 'Deborah', 'Rebecca', 'Linda', 'Barbara', 'Karen', 'Nancy',
      'Hannah', 'Madison', 'Olivia', 'Emma', 'Abigail', 'Chloe', 'Grace', 'Taylor', 'Destiny', 'Jasmine',
      'Kayla', 'Alexis', 'Courtney', 'Crystal', 'Erica', 'Kimberly', 'Michelle', 'Angela', 'Christina', 'Tamika',
      'Shanice', 'Keisha', 'Latoya', 'Monique', 'Aaliyah', 'Brianna', 'Kaitlyn', 'Morgan', 'Shelby', 'Autumn',
    ],
    maleNames: [
      'Michael', 'Christopher', 'Matthew', 'Joshua', 'David', 'James', 'Daniel', 'Robert', 'John', 'Joseph',
      'Andrew', 'Ryan', 'Brandon', 'Jason', 'Justin', 'William', 'Jonathan', 'Anthony', 'Kevin', 'Eric',
      'Thomas', 'Richard', 'Charles', 'Steven', 'Timothy', 'Jeffrey', 'Kenneth', 'Brian', 'Mark', 'Paul',
      'Tyler', 'Aaron', 'Adam', 'Benjamin', 'Samuel', 'Nicholas', 'Zachary', 'Jacob', 'Ethan', 'Logan',
      'Dylan', 'Cody', 'Travis', 'Derrick', 'Terrell', 'Marcus', 'Darnell', 'DeShawn', 'Tyrone', 'Jamal',
      'Edward', 'Patrick', 'Sean', 'Kyle', 'Austin', 'Hunter', 'Connor', 'Gavin', 'Caleb', 'Isaiah',
    ],
    familyNames: [
      'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor',
      'Thomas', 'Moore', 'Jackson', 'Martin', 'Lee', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis',
      'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Hill', 'Green', 'Adams',
      'Baker', 'Nelson', 'Carter', 'Mitchell', 'Roberts', 'Turner', 'Phillips', 'Campbell', 'Parker', 'Evans',
      'Edwards', 'Collins', 'Stewart', 'Morris', 'Murphy', 'Cook', 'Rogers', 'Morgan', 'Cooper', 'Peterson',
      'Bailey', 'Reed', 'Kelly', 'Howard', 'Cox', 'Ward', 'Richardson', 'Watson', 'Brooks', 'Wood',
      'James', 'Bennett', 'Gray', 'Hughes', 'Price', 'Sanders', 'Myers', 'Long', 'Ross', 'Foster',
      'Powell', 'Jenkins', 'Perry', 'Russell', 'Sullivan', 'Bell', 'Coleman', 'Butler', 'Henderson', 'Barnes',
      'Fisher', 'Vasquez', 'Simmons', 'Graham', 'Marshall', 'Owens', 'Harrison', 'Gibson', 'McDonald', 'Kennedy',
      'Wells', 'Alexander', 'Hamilton', 'Ford', 'Stone', 'Hunt', 'Black', 'Daniels', 'Palmer', 'Mills',
      "O'Brien", "O'Connor", 'McCarthy', 'Nguyen', 'Tran', 'Kim', 'Patel', 'Washington', 'Jefferson', 'Freeman',
      'Whitfield', 'Abernathy', 'Castellano', 'Kowalski', 'Schneider', 'Van der Berg', 'MacKenzie', 'Fitzgerald', 'Donnelly', 'Okafor',
    ],
    streetNames: [
      'Main', 'Oak', 'Maple', 'Cedar', 'Elm', 'Washington', 'Lake', 'Hill', 'Pine', 'Park',
      'Sunset', 'Lincoln', 'Jackson', 'Church', 'Highland', 'Madison', 'Franklin', 'Spring', 'Ridge', 'Walnut',
      'Martin Luther King Jr', 'Forest', 'River', 'Chestnut', 'Mill', 'Broadway', 'Central', 'Market', 'Union', 'Grove',
    ],
    streetTypes: ['St', 'Street', 'Ave', 'Avenue', 'Rd', 'Road', 'Blvd', 'Dr', 'Ln'],
    places: ENGLISH_PLACES,
    emailDomains: ['gmail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'icloud.com', 'aol.com'],
  },
  fr: {
    femaleNames: [
      'Marie', 'Nathalie', 'Isabelle', 'Sylvie', 'Catherine', 'Sandrine', 'Christine', 'Céline', 'Stéphanie', 'Valérie',
      'Camille', 'Léa', 'Manon', 'Chloé', 'Inès', 'Emma', 'Jade', 'Sarah', 'Clara', 'Lucie',
      'Marie-Claire', 'Anne-Sophie', 'Marie-Thérèse', 'Hélène', 'Élodie', 'Aurélie', 'Mélanie', 'Amélie', 'Océane', 'Laëtitia',
      'Fatoumata', 'Aïcha', 'Fatima', 'Awa', 'Mariam', 'Aminata', 'Nadia', 'Samira', 'Yasmine', 'Leïla',
      'Françoise', 'Monique', 'Brigitte', 'Martine', 'Danielle', 'Geneviève', 'Josiane', 'Margaux', 'Anaïs', 'Pauline',
    ],
    maleNames: [
      'Jean', 'Pierre', 'Michel', 'Philippe', 'Alain', 'Nicolas', 'Christophe', 'Sébastien', 'Frédéric', 'Laurent',
      'Thomas', 'Lucas', 'Hugo', 'Théo', 'Louis', 'Nathan', 'Maxime', 'Antoine', 'Julien', 'Mathieu',
      'Jean-Baptiste', 'Jean-Pierre', 'Jean-François', 'Jean-Luc', 'François', 'Guillaume', 'Jérôme', 'Stéphane', 'Cédric', 'Grégory',
      'Mohamed', 'Karim', 'Youssef', 'Mamadou', 'Moussa', 'Ibrahima', 'Amadou', 'Rachid', 'Mehdi', 'Bilal',
      'Dominique', 'Bernard', 'Gérard', 'Olivier', 'Benoît', 'Rémi', 'Loïc', 'Gaël', 'Yannick', 'Baptiste',
    ],
    familyNames: [
      'Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau',
      'Simon', 'Laurent', 'Lefèbvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier',
      'Morel', 'Girard', 'André', 'Lefèvre', 'Mercier', 'Dupont', 'Lambert', 'Bonnet', 'François', 'Martinez',
      'Legrand', 'Garnier', 'Faure', 'Rousseau', 'Blanc', 'Guérin', 'Muller', 'Henry', 'Roussel', 'Nicolas',
      'Perrin', 'Morin', 'Mathieu', 'Clément', 'Gauthier', 'Dumont', 'Lopez', 'Fontaine', 'Chevalier', 'Robin',
      'Masson', 'Sanchez', 'Gérard', 'Nguyen', 'Boyer', 'Denis', 'Lemaire', 'Duval', 'Joly', 'Gautier',
      'Diallo', 'Traoré', 'Koné', 'Coulibaly', 'Diop', 'Ndiaye', 'Benali', 'Haddad', 'Cherif', 'Mansouri',
      'Le Gall', 'Le Roux', 'de Saint-Exupéry', 'Delacroix', 'Dufresne', "D'Almeida", 'Le Goff', 'Poirier', 'Charpentier', 'Brunet',
      'Barbier', 'Arnaud', 'Renaud', 'Giraud', 'Colin', 'Vidal', 'Caron', 'Picard', 'Roger', 'Fabre',
      'Aubert', 'Lemoine', 'Renard', 'Dumas', 'Lacroix', 'Olivier', 'Philippe', 'Bourgeois', 'Pierre', 'Benoît',
    ],
    streetNames: [
      'de la République', 'Victor Hugo', 'Jean Jaurès', 'de la Paix', 'Pasteur', 'du Général de Gaulle', 'de la Gare', 'Nationale', 'des Lilas', 'du Moulin',
      'Gambetta', 'Voltaire', 'Saint-Michel', 'de Verdun', 'Émile Zola', 'des Écoles', 'du Marché', 'Jules Ferry', 'de Paris', 'Carnot',
      'de la Liberté', 'Montmartre', 'des Acacias', 'de Belleville', 'Saint-Honoré', 'du Faubourg', 'de la Mairie', 'Foch', 'Clemenceau', 'de Lattre',
    ],
    streetTypes: ['rue', 'avenue', 'av.', 'boulevard', 'bd', 'place', 'allée', 'impasse', 'chemin'],
    places: FRENCH_PLACES,
    emailDomains: ['gmail.com', 'orange.fr', 'free.fr', 'hotmail.fr', 'yahoo.fr', 'laposte.net', 'sfr.fr'],
  },
};

/** Letters next to each other on a QWERTY/AZERTY keyboard, for realistic typos. */
export const NEARBY_KEYS: Record<string, string> = {
  a: 'qszw', b: 'vghn', c: 'xdfv', d: 'serfcx', e: 'wrsd', f: 'drtgvc', g: 'ftyhbv', h: 'gyujnb', i: 'ujko',
  j: 'huikmn', k: 'jiolm', l: 'kopm', m: 'njkl', n: 'bhjm', o: 'iklp', p: 'ol', q: 'wa', r: 'edft', s: 'awedxz',
  t: 'rfgy', u: 'yhji', v: 'cfgb', w: 'qase', x: 'zsdc', y: 'tghu', z: 'asx',
};
