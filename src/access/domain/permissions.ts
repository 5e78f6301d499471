/** Roles of API.md. A person may hold several; auditors and compliance officers never write. */
export const roles = [
  'admin',
  'accountant',
  'approver',
  'auditor',
  'compliance',
  'subscriber',
] as const;
export type Role = (typeof roles)[number];

/** What a route requires. Each route declares exactly one (or is public: /health*). */
export const permissions = [
  'books:read',
  'books:create',
  'ledger:read',
  'ledger:write',
  'policies:read',
  'policies:write',
  'approvals:read',
  'approvals:request',
  'approvals:decide',
  'audit:read',
  'events:read',
  'webhooks:manage',
  'projections:read',
  'projections:rebuild',
  'keys:manage',
  'parties:read',
  'parties:write',
  'settings:read',
  'settings:write',
  /** GDPR: erase a natural person's data (Art. 17), report what is held about them (Art. 15). */
  'personal-data:manage',
  /** Who am I: the calling key's own name, roles and books (every role; the console needs it). */
  'self:read',
] as const;
export type Permission = (typeof permissions)[number];

const readEverything: Permission[] = [
  'self:read',
  'books:read',
  'ledger:read',
  'policies:read',
  'approvals:read',
  'audit:read',
  'events:read',
  'projections:read',
  'parties:read',
  'settings:read',
];

export const rolePermissions: Record<Role, readonly Permission[]> = {
  admin: permissions,
  accountant: [
    'self:read',
    'books:read',
    'ledger:read',
    'ledger:write',
    'policies:read',
    'approvals:read',
    'approvals:request',
    'events:read',
    'parties:read',
    'parties:write',
    'settings:read',
    'settings:write',
  ],
  approver: [
    'self:read',
    'books:read',
    'ledger:read',
    'policies:read',
    'approvals:read',
    'approvals:decide',
    'parties:read',
  ],
  auditor: readEverything,
  compliance: [...readEverything, 'policies:write', 'personal-data:manage'],
  subscriber: ['self:read', 'events:read', 'webhooks:manage'],
};

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

export function rolesGrant(held: readonly Role[], permission: Permission): boolean {
  return held.some((role) => rolePermissions[role].includes(permission));
}

/** Whether a key may see or change a book (keys without a restriction reach every book). */
export function canAccessBook(actor: { books?: readonly string[] }, book: string): boolean {
  return actor.books === undefined || actor.books.includes(book);
}
