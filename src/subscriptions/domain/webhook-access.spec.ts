import { mayManageWebhook } from './webhook-access.js';

describe('mayManageWebhook', () => {
  const owner = { keyId: 'k-owner', isAdmin: false };
  const forAcme = { ownerKeyId: 'k-owner', books: ['acme'] };
  const forAll = { ownerKeyId: 'k-owner' };

  it('lets the registering key manage its webhook', () => {
    expect(mayManageWebhook(owner, forAll)).toBe(true);
    expect(mayManageWebhook({ ...owner, books: ['acme', 'beta'] }, forAcme)).toBe(true);
  });

  it("refuses another integration's webhook, unless the caller is an admin", () => {
    expect(mayManageWebhook({ keyId: 'k-other', isAdmin: false }, forAll)).toBe(false);
    expect(mayManageWebhook({ keyId: 'k-admin', isAdmin: true }, forAll)).toBe(true);
  });

  it("refuses a webhook reaching outside the caller's books", () => {
    expect(mayManageWebhook({ ...owner, books: ['beta'] }, forAcme)).toBe(false);
    expect(mayManageWebhook({ ...owner, books: ['acme'] }, forAll)).toBe(false);
    expect(
      mayManageWebhook({ ...owner, books: ['acme'] }, { ...forAcme, books: ['acme', 'beta'] }),
    ).toBe(false);
  });
});
