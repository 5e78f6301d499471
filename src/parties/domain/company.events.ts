import { DomainEvent } from '../../event-sourcing/index.js';
import { Address } from './address.js';

/** The seller: the book's own company data, as invoices carry it (EN 16931 BG-4). */
export interface CompanySettings {
  name: string;
  address: Address;
  vatId?: string;
  taxNumber?: string;
  /** Register court and number, e.g. "Amtsgericht München HRB 123456" (BT-30). */
  registration?: string;
  email?: string;
  phone?: string;
  contactName?: string;
  iban?: string;
  bic?: string;
}

export function companyStreamId(bookId: string): string {
  return `company-${bookId}`;
}

export interface CompanySettingsChangedData extends CompanySettings {
  bookId: string;
  /** Fields that differ from the settings before (all given ones the first time). */
  changed: string[];
}
export type CompanySettingsChanged = DomainEvent<
  'CompanySettingsChanged',
  CompanySettingsChangedData
>;
