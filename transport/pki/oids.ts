// Object identifiers of the eIDAS / PSD2 certificate profile (ETSI EN 319 412-5, ETSI TS 119 495).

export const OID = {
  organizationIdentifier: '2.5.4.97',
  qcStatements: '1.3.6.1.5.5.7.1.3',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  qcCompliance: '0.4.0.1862.1.1',
  qcSscd: '0.4.0.1862.1.4',
  qcPds: '0.4.0.1862.1.5',
  qcType: '0.4.0.1862.1.6',
  qcTypeEsign: '0.4.0.1862.1.6.1',
  qcTypeEseal: '0.4.0.1862.1.6.2',
  qcTypeWeb: '0.4.0.1862.1.6.3',
  psd2Statement: '0.4.0.19495.2',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const;

/** PSD2 roles (ETSI TS 119 495): name → OID. */
export const PSD2_ROLE_OIDS = {
  PSP_AS: '0.4.0.19495.1.1',
  PSP_PI: '0.4.0.19495.1.2',
  PSP_AI: '0.4.0.19495.1.3',
  PSP_IC: '0.4.0.19495.1.4',
} as const;

export type Psd2RoleName = keyof typeof PSD2_ROLE_OIDS;

/** The role name that belongs to an OID, or undefined for an unknown OID. */
export function psd2RoleName(oid: string): Psd2RoleName | undefined {
  // why the cast: Object.entries widens the keys of PSD2_ROLE_OIDS to string
  for (const [name, value] of Object.entries(PSD2_ROLE_OIDS)) if (value === oid) return name as Psd2RoleName;
  return undefined;
}

export type QcType = 'esign' | 'eseal' | 'web';

export const QC_TYPE_OIDS: Record<QcType, string> = {
  esign: OID.qcTypeEsign,
  eseal: OID.qcTypeEseal,
  web: OID.qcTypeWeb,
};
