import type { Role } from '../../shared/roles.js';
import { hashPassword } from '../auth/passwords.js';
import type { AppContext } from '../context.js';
import { createHotline, findHotlineBySlug } from '../hotlines/hotlines.repo.js';
import { appendAudit } from '../audit/audit.js';
import { insertUser } from '../users/users.repo.js';
import { syntheticPerson } from './people.js';
import { Random } from './random.js';
import { seedDirectory } from './directory.js';
import { seedAccessPoints, seedContacts } from './contacts.js';
import { seedCases } from './cases.js';

export const DEMO_PASSWORD = 'demo-password-catalyst';

export interface DemoLogin {
  email: string;
  role: Role;
  password: string;
}

export interface SeedOptions {
  size?: number;
  seed?: string;
  onProgress?: (done: number, total: number) => void;
}

const DEMO_HOTLINES = [
  { slug: 'demo', name: 'Demo National Hotline', country: 'CA', timezone: 'America/Toronto', locales: ['en', 'fr', 'es'], defaultLocale: 'en', domain: 'demo.example.org' },
  { slug: 'demo-mx', name: 'Línea Nacional de Demostración', country: 'MX', timezone: 'America/Mexico_City', locales: ['es', 'en'], defaultLocale: 'es', domain: 'demo-mx.example.org' },
];

/** How many synthetic advocates a demo of `size` contacts would need (about one per 500 contacts a year). */
export function advocatesFor(size: number) {
  return Math.min(200, Math.max(4, Math.ceil(size / 500)));
}

/**
 * Seeds the demo hotlines with synthetic staff (and, as later capabilities land, contacts, cases and partners).
 * Reproducible: the same seed and size give the same data. Refuses to run twice.
 */
export async function seedDemo(ctx: AppContext, opts: SeedOptions = {}): Promise<{ hotlines: string[]; logins: DemoLogin[]; staff: number; contacts: number }> {
  const size = opts.size ?? 1000;
  const random = new Random(opts.seed ?? 'catalyst-demo');
  if (await findHotlineBySlug(ctx.db, DEMO_HOTLINES[0].slug)) throw new Error('The demo hotline already exists; seed a fresh database');

  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const advocates = advocatesFor(size);
  const contactsPerHotline = [size, Math.ceil(size / 4)];
  const total = DEMO_HOTLINES.length * (6 + advocates) + contactsPerHotline[0] + contactsPerHotline[1];
  let done = 0;
  const logins: DemoLogin[] = [];

  for (const [index, spec] of DEMO_HOTLINES.entries()) {
    const isMain = index === 0;
    const staffRandom = random.fork(spec.slug);
    await ctx.db.transaction().execute(async (tx) => {
      const hotline = await createHotline(tx, ctx.keys, spec, 'seed');
      const organisation = await tx
        .insertInto('organisation')
        .values({ hotline_id: hotline.id, name: isMain ? 'Safe Harbour Shelter (synthetic)' : 'Casa Segura (sintética)', kind: 'partner' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const named: { role: Role; local: string }[] = [
        { role: 'admin', local: 'admin' },
        { role: 'supervisor', local: 'supervisor' },
        { role: 'advocate', local: 'advocate' },
        { role: 'qa_reviewer', local: 'qa' },
        { role: 'analyst', local: 'analyst' },
        { role: 'partner', local: 'partner' },
      ];
      for (const { role, local } of named) {
        const person = syntheticPerson(staffRandom, spec.country);
        const email = `${local}@${spec.domain}`;
        await insertUser(tx, {
          hotlineId: hotline.id, email, displayName: `${person.givenName} ${person.familyName}`, passwordHash, roles: [role],
          locale: spec.defaultLocale, organisationId: role === 'partner' ? organisation.id : null, mustChangePassword: false,
        });
        if (isMain) logins.push({ email, role, password: DEMO_PASSWORD });
        done++;
        opts.onProgress?.(done, total);
      }
      for (let i = 1; i <= advocates; i++) {
        const person = syntheticPerson(staffRandom, spec.country);
        await insertUser(tx, {
          hotlineId: hotline.id, email: `advocate${i}@${spec.domain}`, displayName: `${person.givenName} ${person.familyName}`, passwordHash,
          roles: i % 10 === 0 ? ['advocate', 'supervisor'] : ['advocate'], locale: person.culture, organisationId: null, mustChangePassword: false,
        });
        done++;
        opts.onProgress?.(done, total);
      }
      await appendAudit(tx, { hotlineId: hotline.id, actorId: null, actorLabel: 'seed', action: 'seed.demo', details: { size, staff: 6 + advocates } });
    });
    const hotline = (await findHotlineBySlug(ctx.db, spec.slug))!;
    await seedAccessPoints(ctx, hotline.id, spec.slug, random.fork(`${spec.slug}:access`));
    await seedContacts(ctx, hotline, contactsPerHotline[index], random.fork(`${spec.slug}:contacts`), () => {
      done++;
      opts.onProgress?.(done, total);
    });
    await seedCases(ctx, hotline, random.fork(`${spec.slug}:cases`));
    await seedDirectory(ctx, { id: hotline.id, country: spec.country, timezone: spec.timezone }, random.fork(`${spec.slug}:directory`));
  }
  return { hotlines: DEMO_HOTLINES.map((h) => h.slug), logins, staff: DEMO_HOTLINES.length * (6 + advocates), contacts: contactsPerHotline[0] + contactsPerHotline[1] };
}
