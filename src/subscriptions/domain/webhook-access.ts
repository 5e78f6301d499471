/** Who asks to see or change a webhook. */
export interface WebhookManager {
  keyId: string;
  isAdmin: boolean;
  /** The key is restricted to these books. */
  books?: readonly string[];
}

/** A webhook as far as access goes: the key that registered it and its book filter. */
export interface ManagedWebhook {
  ownerKeyId: string;
  books?: readonly string[];
}

/**
 * Admins manage every webhook. Any other key only the webhooks it registered itself, and only
 * while every book they deliver lies within the key's books (a webhook for all books is then
 * out of reach of a book-restricted key).
 */
export function mayManageWebhook(manager: WebhookManager, webhook: ManagedWebhook): boolean {
  if (manager.isAdmin) return true;
  if (webhook.ownerKeyId !== manager.keyId) return false;
  const allowed = manager.books;
  if (allowed === undefined) return true;
  return webhook.books !== undefined && webhook.books.every((book) => allowed.includes(book));
}
