import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { importDirectory, setPartnerProfile } from '../../src/server/directory/directory.service.js';
import { collectJson } from '../../src/server/directory/hsds-import.js';
import { seedDirectory } from '../../src/server/synthetic/directory.js';
import { Random } from '../../src/server/synthetic/random.js';

// Admins pick the directory organization a partner-role user works for (docs/referrals.md, "Partner staff signed in").
const cli = { id: null, label: 'test' };
const SHELTER = 'a4000000-0000-4000-8000-000000000001';
const LEGAL = 'a4000000-0000-4000-8000-000000000002';
let server: TestServer;
let admin: ApiClient;
let supervisor: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  admin = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['admin'] }));
  supervisor = await new ApiClient(server.app).signIn(await server.createUser({ roles: ['supervisor'] }));
  const report = await importDirectory(server.db, server.hotline.id, collectJson({ organizations: [
    { id: SHELTER, name: 'Casa Segura Society', description: 'Shelter' },
    { id: LEGAL, name: 'Ontario Legal Aid', description: 'Legal' },
  ] }), cli);
  expect(report.rejected).toEqual([]);
  await setPartnerProfile(server.db, server.hotline.id, SHELTER, { vettingStatus: 'vetted' }, cli);
});
afterAll(async () => {
  await server?.close();
});

describe('linking partner users to directory organizations', () => {
  it('moves a partner user to the account organisation of the directory organization picked, made if needed, audited', async () => {
    const other = (await admin.post(`/api/directory/organizations/${LEGAL}/account`, {})).body.organisationId as string;
    const partner = await server.createUser({ roles: ['partner'], organisationId: other, displayName: 'Pat Partner' });
    const before = await admin.get('/api/admin/partner-accounts');
    expect(before.status).toBe(200);
    expect(before.body.organizations.map((o: any) => o.name)).toEqual(['Casa Segura Society', 'Ontario Legal Aid']);
    expect(before.body.users).toEqual([expect.objectContaining({ id: partner.id, hsdsOrganizationId: LEGAL, organisationName: 'Ontario Legal Aid' })]);

    const moved = await admin.post(`/api/admin/users/${partner.id}/partner-organization`, { organizationId: SHELTER });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ userId: partner.id, hsdsOrganizationId: SHELTER, created: true });
    const after = await admin.get('/api/admin/partner-accounts');
    expect(after.body.users[0]).toMatchObject({ hsdsOrganizationId: SHELTER, organisationName: 'Casa Segura Society' });
    expect(after.body.organizations.find((o: any) => o.id === SHELTER)).toMatchObject({ users: 1, organisationId: moved.body.organisationId });
    // Picking it again reuses the same account organisation.
    const again = await admin.post(`/api/admin/users/${partner.id}/partner-organization`, { organizationId: SHELTER });
    expect(again.body).toMatchObject({ organisationId: moved.body.organisationId, created: false });

    const audit = await server.db.selectFrom('audit_log').select(['actor_id', 'details']).where('action', '=', 'user.partner_organization').where('record_id', '=', partner.id).orderBy('id').execute();
    expect(audit).toHaveLength(2);
    expect(audit[0].details).toMatchObject({ hsdsOrganizationId: SHELTER, previousOrganisationId: other, createdOrganisation: true });

    // The partner now signs in to its new organisation's referrals (an empty list, not a refusal).
    const signedIn = await new ApiClient(server.app).signIn(partner);
    expect((await signedIn.get('/api/partner/referrals')).status).toBe(200);
  });

  it('refuses a user without the partner role, an unknown organization, and anyone but an admin', async () => {
    const advocate = await server.createUser({ roles: ['advocate'] });
    expect((await admin.post(`/api/admin/users/${advocate.id}/partner-organization`, { organizationId: SHELTER })).status).toBe(400);
    const partner = await server.createUser({ roles: ['partner'], organisationId: (await admin.post(`/api/directory/organizations/${LEGAL}/account`, {})).body.organisationId });
    expect((await admin.post(`/api/admin/users/${partner.id}/partner-organization`, { organizationId: 'a4000000-0000-4000-8000-0000000000ff' })).status).toBe(404);
    expect((await admin.post('/api/admin/users/a4000000-0000-4000-8000-0000000000ee/partner-organization', { organizationId: SHELTER })).status).toBe(404);
    expect((await supervisor.post(`/api/admin/users/${partner.id}/partner-organization`, { organizationId: SHELTER })).status).toBe(403);
    // Supervisors may list users, so they may see who works for which partner.
    expect((await supervisor.get('/api/admin/partner-accounts')).status).toBe(200);
  });
});

describe('the demo seed', () => {
  it('links the demo partner login to a vetted shelter of the synthetic network', async () => {
    const { id: organisationId } = await server.db.insertInto('organisation').values({ hotline_id: server.hotline.id, name: 'Safe Harbour Shelter (synthetic)', kind: 'partner' }).returning('id').executeTakeFirstOrThrow();
    const partner = await server.createUser({ roles: ['partner'], organisationId, email: 'partner@demo.example.org' });
    await seedDirectory(server.ctx, { id: server.hotline.id, country: 'CA', timezone: 'America/Toronto' }, new Random('catalyst-demo').fork('demo:directory'));
    const organisation = await server.db.selectFrom('organisation').select(['name', 'hsds_organization_id']).where('id', '=', organisationId).executeTakeFirstOrThrow();
    expect(organisation.hsds_organization_id).not.toBeNull();
    const partnerData = await server.db.selectFrom('directory_partner').select('vetting_status').where('organization_id', '=', organisation.hsds_organization_id!).executeTakeFirstOrThrow();
    expect(partnerData.vetting_status).toBe('vetted');
    expect(organisation.name).toMatch(/^Safe House .+ \(synthetic\)$/);
    const listed = await admin.get('/api/admin/partner-accounts');
    expect(listed.body.users.find((u: any) => u.id === partner.id)).toMatchObject({ hsdsOrganizationId: organisation.hsds_organization_id });
    // A police unit of the synthetic network is the reporting rules' law-enforcement agency: demo reports reach it.
    const agencies = await server.db.selectFrom('directory_partner as p').innerJoin('hsds_organization as o', 'o.id', 'p.organization_id').select(['o.name', 'p.reporting_agency_id']).where('p.hotline_id', '=', server.hotline.id).where('p.reporting_agency_id', 'is not', null).execute();
    expect(agencies).toEqual([{ name: expect.stringContaining('Police'), reporting_agency_id: 'police_partner' }]);
  });
});
