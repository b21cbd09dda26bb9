/**
 * Invented word pools for names. Person names are common given names and
 * surnames combined at random; company and street names are made-up compounds
 * so that nothing in the demo points at a real organisation or person.
 */

export interface NamePool {
  first: readonly string[];
  last: readonly string[];
}

// Keyed by a loose naming culture, not by country, so several countries can share one.
export const NAME_POOLS: Readonly<Record<string, NamePool>> = {
  anglo: {
    first: [
      'Aaron',
      'Bethany',
      'Caleb',
      'Dana',
      'Ethan',
      'Fiona',
      'Grant',
      'Holly',
      'Isaac',
      'Jenna',
      'Kyle',
      'Lauren',
      'Miles',
      'Nora',
      'Owen',
      'Paige',
      'Quinn',
      'Reid',
      'Sadie',
      'Tyler',
    ],
    last: [
      'Ashby',
      'Barlow',
      'Corbett',
      'Dalton',
      'Ellison',
      'Fairbank',
      'Garrow',
      'Hollins',
      'Iverson',
      'Jessop',
      'Kirkland',
      'Lowry',
      'Marsh',
      'Norwood',
      'Oakes',
      'Pruett',
      'Radley',
      'Sutter',
      'Tolliver',
      'Whitcombe',
    ],
  },
  de: {
    first: ['Anika', 'Bastian', 'Carina', 'Dirk', 'Elke', 'Florian', 'Greta', 'Henrik', 'Jana', 'Lukas'],
    last: ['Albrecht', 'Brandt', 'Engel', 'Hartung', 'Kessler', 'Lindner', 'Nowak', 'Reuter', 'Seidel', 'Vogt'],
  },
  fr: {
    first: ['Amélie', 'Bastien', 'Camille', 'Damien', 'Élise', 'Fabien', 'Gaëlle', 'Hugo', 'Inès', 'Julien'],
    last: ['Arnaud', 'Besson', 'Carpentier', 'Delmas', 'Fabre', 'Guérin', 'Lemaire', 'Marchand', 'Perrin', 'Roussel'],
  },
  nl: {
    first: ['Anouk', 'Bram', 'Daan', 'Eva', 'Floor', 'Joris', 'Lieke', 'Maarten', 'Noor', 'Sander'],
    last: ['Bakker', 'de Graaf', 'Hendriks', 'Kuipers', 'Meijer', 'Mulder', 'Prins', 'Smit', 'van Dijk', 'Visser'],
  },
  pl: {
    first: ['Agata', 'Bartosz', 'Dorota', 'Jakub', 'Kinga', 'Marek', 'Natalia', 'Paweł', 'Zofia', 'Tomasz'],
    last: ['Adamczyk', 'Baran', 'Czarnecki', 'Dudek', 'Górski', 'Kaczmarek', 'Lis', 'Mazur', 'Pawlak', 'Wróbel'],
  },
  jp: {
    first: ['Akira', 'Haruka', 'Kenji', 'Mei', 'Naoki', 'Riko', 'Satoshi', 'Takumi', 'Yui', 'Daichi'],
    last: ['Aoki', 'Fujita', 'Hayashi', 'Ishikawa', 'Kondo', 'Matsuda', 'Nishimura', 'Ogawa', 'Sakai', 'Takeda'],
  },
  kr: {
    first: ['Da-eun', 'Ha-neul', 'Ji-ho', 'Min-seo', 'Seo-yeon', 'Tae-yang', 'Woo-jin', 'Ye-jin', 'Hyun-woo', 'Su-bin'],
    last: ['Baek', 'Cho', 'Han', 'Jeon', 'Kang', 'Kwon', 'Oh', 'Seo', 'Shin', 'Yoon'],
  },
  in: {
    first: ['Aditi', 'Arjun', 'Deepa', 'Karan', 'Meera', 'Nikhil', 'Pooja', 'Rohan', 'Sneha', 'Vikram'],
    last: ['Bhatt', 'Chawla', 'Deshpande', 'Iyer', 'Kulkarni', 'Malhotra', 'Nair', 'Pillai', 'Rao', 'Saxena'],
  },
  sg: {
    first: ['Bryan', 'Cheryl', 'Darren', 'Germaine', 'Jun Wei', 'Li Ting', 'Marcus', 'Shu Fen', 'Wei Ming', 'Xin Yi'],
    last: ['Chua', 'Goh', 'Koh', 'Lim', 'Ng', 'Ong', 'Quek', 'Tan', 'Teo', 'Yeo'],
  },
  it: {
    first: ['Alessio', 'Chiara', 'Davide', 'Elena', 'Federico', 'Giulia', 'Lorenzo', 'Martina', 'Matteo', 'Sara'],
    last: ['Benedetti', 'Caruso', 'De Luca', 'Ferri', 'Galli', 'Lombardi', 'Marchetti', 'Moretti', 'Rinaldi', 'Vitale'],
  },
  vn: {
    first: ['Anh', 'Bao', 'Duc', 'Hanh', 'Khoa', 'Linh', 'Minh', 'Phuong', 'Quang', 'Thao'],
    last: ['Bui', 'Dang', 'Do', 'Hoang', 'Le', 'Nguyen', 'Pham', 'Phan', 'Tran', 'Vu'],
  },
  ph: {
    first: ['Andrea', 'Carlo', 'Divina', 'Enrico', 'Jasmine', 'Joshua', 'Kristine', 'Mark', 'Patricia', 'Ramon'],
    last: ['Aquino', 'Bautista', 'Castillo', 'Dela Cruz', 'Garcia', 'Mendoza', 'Navarro', 'Ramos', 'Santos', 'Villanueva'],
  },
};

/** Naming culture per country code; anything missing uses `anglo`. */
export const POOL_BY_COUNTRY: Readonly<Record<string, string>> = {
  US: 'anglo',
  GB: 'anglo',
  CA: 'anglo',
  AU: 'anglo',
  DE: 'de',
  FR: 'fr',
  NL: 'nl',
  PL: 'pl',
  JP: 'jp',
  KR: 'kr',
  IN: 'in',
  SG: 'sg',
  IT: 'it',
  VN: 'vn',
  PH: 'ph',
};

export function poolFor(country: string): NamePool {
  return NAME_POOLS[POOL_BY_COUNTRY[country] ?? 'anglo'] ?? NAME_POOLS.anglo;
}

// Two halves of invented place-like words: "Quill" + "mere" = "Quillmere".
export const STEM_HEADS: readonly string[] = [
  'Alder',
  'Bramble',
  'Cinder',
  'Dunmore',
  'Elder',
  'Fallow',
  'Gorse',
  'Heron',
  'Ivy',
  'Juniper',
  'Kestrel',
  'Lichen',
  'Marl',
  'Nettle',
  'Oriel',
  'Pell',
  'Quill',
  'Rook',
  'Sorrel',
  'Tansy',
  'Umber',
  'Vetch',
  'Wren',
  'Yarrow',
];
export const STEM_TAILS: readonly string[] = [
  'brook',
  'mere',
  'wick',
  'stead',
  'field',
  'gate',
  'ford',
  'holt',
  'combe',
  'haven',
  'moor',
  'ridge',
];

/** Lower-case ASCII kebab form: "Dela Cruz" → "dela-cruz", "Amélie" → "amelie". */
export function kebab(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** ASCII-only, no separators: for e-mail local parts and handles. */
export function compact(text: string): string {
  return kebab(text).replace(/-/g, '');
}
