import type { Random } from './random.ts';

// Display names for the demo community: a mix of full names, initials and handles, drawn from
// name lists of many origins, as a real sign-up page collects them.

const FIRST_NAMES = [
  'Maya',
  'Jonas',
  'Priya',
  'Lucas',
  'Amara',
  'Felix',
  'Sofia',
  'Mateo',
  'Hana',
  'Oliver',
  'Chloé',
  'Tomasz',
  'Aisha',
  'Liam',
  'Yuki',
  'Elena',
  'Kwame',
  'Ingrid',
  'Diego',
  'Leila',
  'Noah',
  'Freya',
  'Ravi',
  'Camille',
  'Omar',
  'Astrid',
  'Jun',
  'Beatriz',
  'Samuel',
  'Nadia',
  'Henrik',
  'Zara',
  'Marco',
  'Ife',
  'Clara',
  'Arjun',
  'Lena',
  'Tariq',
  'Mila',
  'Ethan',
  'Rosa',
  'Kenji',
  'Sienna',
  'Pavel',
  'Imani',
  'Hugo',
  'Anouk',
  'Ahmed',
  'Julia',
  'Dmitri',
  'Keiko',
  'Thabo',
  'Greta',
  'Rafael',
  'Noor',
  'Isaac',
  'Lucía',
  'Emil',
  'Chiara',
  'Malik',
  'Saoirse',
  'Wei',
  'Ana',
  'Bastian',
  'Fatima',
  'Oscar',
  'Marta',
  'Kofi',
  'Elif',
  'Théo',
  'Ines',
  'Daniel',
  'Aiko',
  'Nikolai',
  'Paloma',
  'Sean',
  'Alina',
  'Jamal',
  'Vera',
  'Mei',
  'Ruben',
  'Tove',
  'Gabriel',
  'Yasmin',
  'Kai',
  'Lotte',
  'Andrés',
  'Sana',
  'Magnus',
  'Eva',
  'Min-jun',
  'Carmen',
  'Joel',
  'Ayla',
  'Viktor',
  'Nia',
  'Leon',
  'Harper',
] as const;

const LAST_NAMES = [
  'Okafor',
  'Berg',
  'Sharma',
  'Moreau',
  'Nakamura',
  'Schmidt',
  'Rossi',
  'García',
  'Kowalski',
  'Haddad',
  'Johansson',
  'Chen',
  'Mensah',
  'Novak',
  'Fernández',
  'Murphy',
  'Tanaka',
  'Petrov',
  'Silva',
  'Kaya',
  'Andersen',
  'Dubois',
  'Müller',
  'Costa',
  'Ibrahim',
  'Lindqvist',
  'Park',
  'Romano',
  'Walsh',
  'Nguyen',
  'Hoffmann',
  'Adeyemi',
  'Castillo',
  'Yilmaz',
  'Eriksen',
  'Patel',
  'Laurent',
  'Sato',
  'Jansen',
  'Bianchi',
  'Kim',
  'Horvat',
  'Oliveira',
  'Abbasi',
  'Fischer',
  'Lopez',
  'Byrne',
  'Ivanova',
  'Santos',
  'Wójcik',
  'Ahmadi',
  'Vos',
  'Rahman',
  'Keller',
  'Marino',
  'Osei',
  'Larsen',
  'Vega',
  'Demir',
  'Morgan',
  'Suzuki',
  'Popescu',
  'Reyes',
  'Lund',
  'Kapoor',
  'Brennan',
  'Ferrari',
  'Yamamoto',
  'Nieminen',
  'Cohen',
  'Diallo',
  'Herrera',
  'Svensson',
  'Wagner',
] as const;

const HANDLE_WORDS = [
  'cinephile',
  'reelfan',
  'filmnerd',
  'popcorn',
  'matinee',
  'nightowl',
  'frames',
  'slowcinema',
  'bingewatcher',
  'criterion',
  'midnightmovies',
  'doublefeature',
  'filmdiary',
  'reeltalk',
  'screentime',
  'couchcritic',
  'finalcut',
  'lastrow',
  'noirlover',
  'subtitles',
  'filmgrain',
  'rewinder',
  'credits',
  'boxoffice',
] as const;

const ascii = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z-]/g, '')
    .toLowerCase();

export type PersonName = { displayName: string; emailLocal: string };

/**
 * `count` distinct display names; about two in three are "First Last", the rest "First L." or a
 * handle. The email's local part follows the name and is unique too.
 */
export function personNames(random: Random, count: number): PersonName[] {
  const names: PersonName[] = [];
  const taken = new Set<string>();
  const emails = new Set<string>();
  while (names.length < count) {
    const first = random.pick(FIRST_NAMES);
    const last = random.pick(LAST_NAMES);
    const style = random.next();
    let displayName: string;
    if (style < 0.66) displayName = `${first} ${last}`;
    else if (style < 0.84) displayName = `${first} ${last[0]}.`;
    else if (style < 0.92) displayName = `${ascii(first)}_${random.pick(HANDLE_WORDS)}`;
    else displayName = `${random.pick(HANDLE_WORDS)}${random.int(7, 99)}`;
    if (taken.has(displayName)) continue;
    taken.add(displayName);
    let emailLocal = `${ascii(first)}.${ascii(last)}`;
    for (let n = 2; emails.has(emailLocal); n++) emailLocal = `${ascii(first)}.${ascii(last)}${n}`;
    emails.add(emailLocal);
    names.push({ displayName, emailLocal });
  }
  return names;
}
