/** Staff roles as the contract's `staff.role` names them. */
export const STAFF_ROLES = ['caseworker', 'chair', 'officer', 'analyst', 'school_safeguarding_lead', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const isStaffRole = (value: string): value is StaffRole => (STAFF_ROLES as readonly string[]).includes(value);

/** A member of staff the bot has recognised from their Entra object id. */
export interface Caller {
  readonly aadObjectId: string;
  readonly workerId: string;
  readonly displayName: string;
  readonly role: StaffRole;
  readonly agency: string | null;
  readonly schoolId: string | null;
  /** The area they work for (staff.area_id); null = every area. */
  readonly areaId: string | null;
}

export const ROLE_LABELS: Readonly<Record<StaffRole, string>> = {
  caseworker: 'caseworker',
  chair: 'meeting chair',
  officer: 'police officer',
  analyst: 'analyst',
  school_safeguarding_lead: 'school safeguarding lead',
  admin: 'administrator',
};

/** Roles that see everyone, the police operation markers and "CSE Risk – Subjects Over 18". */
export const SEES_EVERYONE: ReadonlySet<StaffRole> = new Set(['officer', 'analyst']);
