/**
 * ISO 3166-1 alpha-2 → alpha-3 codes and the UN M49 region of each country, for the CTDC export (citizenship and
 * country of exploitation are ISO alpha-3 there) and for generalising countries to regions under k-anonymity.
 * Codes are facts, generated from Debian's iso-codes list (/usr/share/iso-codes/json/iso_3166-1.json); regions are
 * the five UN M49 regions. Antarctica (AQ) has no region. Packed as `<alpha2><alpha3><region prefix>` to stay small.
 */
const PACKED =
  'AWABWAm AFAFGAs AOAGOAf AIAIAAm AXALAEu ALALBEu ADANDEu AEAREAs ARARGAm AMARMAs ASASMOc TFATFAf AGATGAm AUAUSOc ' +
  'ATAUTEu AZAZEAs BIBDIAf BEBELEu BJBENAf BQBESAm BFBFAAf BDBGDAs BGBGREu BHBHRAs BSBHSAm BABIHEu BLBLMAm BYBLREu ' +
  'BZBLZAm BMBMUAm BOBOLAm BRBRAAm BBBRBAm BNBRNAs BTBTNAs BVBVTAm BWBWAAf CFCAFAf CACANAm CCCCKOc CHCHEEu CLCHLAm ' +
  'CNCHNAs CICIVAf CMCMRAf CDCODAf CGCOGAf CKCOKOc COCOLAm KMCOMAf CVCPVAf CRCRIAm CUCUBAm CWCUWAm CXCXROc KYCYMAm ' +
  'CYCYPAs CZCZEEu DEDEUEu DJDJIAf DMDMAAm DKDNKEu DODOMAm DZDZAAf ECECUAm EGEGYAf ERERIAf EHESHAf ESESPEu EEESTEu ' +
  'ETETHAf FIFINEu FJFJIOc FKFLKAm FRFRAEu FOFROEu FMFSMOc GAGABAf GBGBREu GEGEOAs GGGGYEu GHGHAAf GIGIBEu GNGINAf ' +
  'GPGLPAm GMGMBAf GWGNBAf GQGNQAf GRGRCEu GDGRDAm GLGRLAm GTGTMAm GFGUFAm GUGUMOc GYGUYAm HKHKGAs HMHMDOc HNHNDAm ' +
  'HRHRVEu HTHTIAm HUHUNEu IDIDNAs IMIMNEu ININDAs IOIOTAf IEIRLEu IRIRNAs IQIRQAs ISISLEu ILISRAs ITITAEu JMJAMAm ' +
  'JEJEYEu JOJORAs JPJPNAs KZKAZAs KEKENAf KGKGZAs KHKHMAs KIKIROc KNKNAAm KRKORAs KWKWTAs LALAOAs LBLBNAs LRLBRAf ' +
  'LYLBYAf LCLCAAm LILIEEu LKLKAAs LSLSOAf LTLTUEu LULUXEu LVLVAEu MOMACAs MFMAFAm MAMARAf MCMCOEu MDMDAEu MGMDGAf ' +
  'MVMDVAs MXMEXAm MHMHLOc MKMKDEu MLMLIAf MTMLTEu MMMMRAs MEMNEEu MNMNGAs MPMNPOc MZMOZAf MRMRTAf MSMSRAm MQMTQAm ' +
  'MUMUSAf MWMWIAf MYMYSAs YTMYTAf NANAMAf NCNCLOc NENERAf NFNFKOc NGNGAAf NINICAm NUNIUOc NLNLDEu NONOREu NPNPLAs ' +
  'NRNRUOc NZNZLOc OMOMNAs PKPAKAs PAPANAm PNPCNOc PEPERAm PHPHLAs PWPLWOc PGPNGOc PLPOLEu PRPRIAm KPPRKAs PTPRTEu ' +
  'PYPRYAm PSPSEAs PFPYFOc QAQATAs REREUAf ROROUEu RURUSEu RWRWAAf SASAUAs SDSDNAf SNSENAf SGSGPAs GSSGSAm SHSHNAf ' +
  'SJSJMEu SBSLBOc SLSLEAf SVSLVAm SMSMREu SOSOMAf PMSPMAm RSSRBEu SSSSDAf STSTPAf SRSURAm SKSVKEu SISVNEu SESWEEu ' +
  'SZSWZAf SXSXMAm SCSYCAf SYSYRAs TCTCAAm TDTCDAf TGTGOAf THTHAAs TJTJKAs TKTKLOc TMTKMAs TLTLSAs TOTONOc TTTTOAm ' +
  'TNTUNAf TRTURAs TVTUVOc TWTWNAs TZTZAAf UGUGAAf UAUKREu UMUMIOc UYURYAm USUSAAm UZUZBAs VAVATEu VCVCTAm VEVENAm ' +
  'VGVGBAm VIVIRAm VNVNMAs VUVUTOc WFWLFOc WSWSMOc YEYEMAs ZAZAFAf ZMZMBAf ZWZWEAf ';

export const UN_REGIONS = { Af: 'Africa', Am: 'Americas', As: 'Asia', Eu: 'Europe', Oc: 'Oceania' } as const;
export type UnRegion = (typeof UN_REGIONS)[keyof typeof UN_REGIONS];

const BY_ALPHA2 = new Map<string, { alpha3: string; region: UnRegion | null }>(
  PACKED.trim().split(/\s+/).map((entry) => [entry.slice(0, 2), { alpha3: entry.slice(2, 5), region: UN_REGIONS[entry.slice(5, 7) as keyof typeof UN_REGIONS] }]),
);
BY_ALPHA2.set('AQ', { alpha3: 'ATA', region: null });
const BY_ALPHA3 = new Map([...BY_ALPHA2.values()].map((c) => [c.alpha3, c]));

/** ISO alpha-3 for an alpha-2 code, or null when the code is not an assigned ISO 3166-1 country. */
export function alpha3(alpha2: string | null | undefined): string | null {
  return (alpha2 && BY_ALPHA2.get(alpha2.toUpperCase())?.alpha3) || null;
}

/** The UN M49 region of an ISO alpha-3 code, or null. */
export function regionOfAlpha3(code: string | null | undefined): UnRegion | null {
  return (code && BY_ALPHA3.get(code)?.region) || null;
}

export function isAlpha3(code: string): boolean {
  return BY_ALPHA3.has(code);
}
