import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CASE_STATUSES, TRAFFICKING_TYPES } from '../api/cases.js';
import { CTDC_AGE_BANDS, CTDC_GENDERS, CTDC_QUASI_IDENTIFIERS, CTDC_VARIABLES, ageOn, polarisNumber, rawAge, toCtdcRow } from './ctdc.js';
import { alpha3, isAlpha3, regionOfAlpha3 } from './countries.js';
import { HTCDS_EXPORT_FIELDS, HTCDS_MULTISELECT_SEPARATOR, HTCDS_PICKLIST_FIELDS, htcdsEmittableValues, toHtcdsRow } from './htcds.js';

// The upstream standards are read at run time, never copied (../shared/standards/{htcds,ctdc}/SOURCE.md).
const standards = new URL('../../../../shared/standards/', import.meta.url);
const htcdsPicklists: Record<string, { values: string[]; type: string }> = JSON.parse(fs.readFileSync(new URL('htcds/htcds_picklists_2.0.json', standards), 'utf8')).picklists;
const htcdsFields: { 'Field Name including Prefix': string; 'Field Type': string }[] = parse(fs.readFileSync(new URL('htcds/htcds_field_standards_2.0.csv', standards)), { columns: true });
const ctdcVariables: { name: string; values: string }[] = parse(fs.readFileSync(new URL('ctdc/ctdc_global_synthetic_v2024_variables.csv', standards)), { columns: true });

const PERSON_GENDERS = ['female', 'male', 'non_binary', 'other', 'unknown'];
const AGE_RANGES = ['under_12', '12_17', '18_24', '25_34', '35_49', '50_plus', 'unknown'];

describe('HTCDS 2.0 mapping', () => {
  it('exports only HTCDS field names', () => {
    const names = new Set(htcdsFields.map((f) => f['Field Name including Prefix']));
    for (const field of HTCDS_EXPORT_FIELDS) expect(names, field).toContain(field);
  });

  it('can emit only upstream picklist value names', () => {
    const emittable = htcdsEmittableValues();
    for (const field of HTCDS_PICKLIST_FIELDS) {
      expect(htcdsPicklists[field], field).toBeDefined();
      expect(emittable[field].length).toBeGreaterThan(0);
      for (const value of emittable[field]) expect(htcdsPicklists[field].values, `${field}=${value}`).toContain(value);
    }
  });

  it('maps every Catalyst case status, trafficking type and gender', () => {
    for (const status of CASE_STATUSES) expect(toHtcdsRow({ caseStatus: status, traffickingTypes: [], polarisType: null, victim: null }).cas_Status).not.toBe('');
    for (const type of TRAFFICKING_TYPES) expect(toHtcdsRow({ caseStatus: 'open', traffickingTypes: [type], polarisType: null, victim: null }).vic_TypeOfExploitation).not.toBe('');
    for (const gender of PERSON_GENDERS) expect(toHtcdsRow({ caseStatus: 'open', traffickingTypes: [], polarisType: null, victim: { gender, nationality: null } }).prs_Gender).not.toBe('');
  });

  it('every value of every row built from any Catalyst record is an upstream value name (property)', () => {
    const source = fc.record({
      caseStatus: fc.constantFrom(...CASE_STATUSES),
      traffickingTypes: fc.subarray([...TRAFFICKING_TYPES]),
      polarisType: fc.option(fc.integer({ min: 1, max: 25 })),
      victim: fc.option(fc.record({ gender: fc.option(fc.constantFrom(...PERSON_GENDERS)), nationality: fc.option(fc.constantFrom('CA', 'MX', 'GT', 'xx', 'PH')) })),
    });
    fc.assert(
      fc.property(source, (s) => {
        const row = toHtcdsRow(s);
        expect(Object.keys(row)).toEqual([...HTCDS_EXPORT_FIELDS]);
        for (const field of HTCDS_PICKLIST_FIELDS) {
          if (row[field] === '') continue;
          const values = htcdsPicklists[field].type.startsWith('Multiselect') ? row[field].split(HTCDS_MULTISELECT_SEPARATOR) : [row[field]];
          for (const value of values) expect(htcdsPicklists[field].values).toContain(value);
        }
        expect(row.prs_Citizenship === '' || /^[A-Z]{2}$/.test(row.prs_Citizenship)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('CTDC variable set', () => {
  it('uses exactly the CTDC v2024 variable names, in codebook order', () => {
    expect([...CTDC_VARIABLES]).toEqual(ctdcVariables.map((v) => v.name));
  });

  it('emits codebook values for gender and age bands at level 0', () => {
    const upstream = (name: string) => ctdcVariables.find((v) => v.name === name)!.values.split(' | ').map((s) => s.trim());
    for (const g of CTDC_GENDERS) expect(upstream('gender')).toContain(g);
    for (const band of CTDC_AGE_BANDS) expect(upstream('ageBroad')).toContain(band);
    const age = CTDC_QUASI_IDENTIFIERS.find((q) => q.field === 'ageBroad')!;
    for (let years = 0; years < 100; years++) expect(CTDC_AGE_BANDS).toContain(age.levels[0](rawAge(years, null)));
    for (const range of AGE_RANGES) {
      const band = age.levels[0](rawAge(null, range));
      if (band !== null) expect(CTDC_AGE_BANDS).toContain(band);
    }
    // A range straddling bands is never guessed into one.
    expect(age.levels[0](rawAge(null, '18_24'))).toBeNull();
    expect(age.levels[1](rawAge(null, '18_24'))).toBe('18--29');
    expect(age.levels[0](rawAge(null, '12_17'))).toBe('9--17');
  });

  it('builds a de-identified row: ISO alpha-3 countries, year, flags as 1 or null', () => {
    const row = toCtdcRow({ openedAt: new Date('2024-03-02T10:00:00Z'), traffickingTypes: ['labour'], polarisType: 11, gender: 'female', ageRange: '25_34', ageYears: 27, nationality: 'GT', hotlineCountry: 'CA', iloIndicators: ['debt_bondage', 'isolation'] });
    expect(row).toMatchObject({ yearOfRegistration: '2024', gender: 'Woman', ageBroad: 'age:27', citizenship: 'GTM', CountryOfExploitation: 'CAN', isForcedLabour: '1', isSexualExploit: null, typeOfLabourAgriculture: '1', meansDebtBondageEarnings: '1' });
    expect(Object.keys(row)).toEqual([...CTDC_VARIABLES]);
    expect(Object.values(row).every((v) => v === null || typeof v === 'string')).toBe(true);
  });

  it('converts countries and regions, ages and typology codes', () => {
    expect(alpha3('mx')).toBe('MEX');
    expect(alpha3('ZZ')).toBeNull();
    expect(isAlpha3('PHL')).toBe(true);
    expect(regionOfAlpha3('UKR')).toBe('Europe');
    expect(regionOfAlpha3('GTM')).toBe('Americas');
    expect(ageOn('2000-06-15', new Date('2024-06-14T00:00:00Z'))).toBe(23);
    expect(ageOn('2000-06-15', new Date('2024-06-15T00:00:00Z'))).toBe(24);
    expect(polarisNumber('P5')).toBe(5);
    expect(polarisNumber('26')).toBeNull();
  });
});
