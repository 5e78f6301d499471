import type { En16931Invoice } from '../domain/en16931.model.js';
import { renderCii } from './cii-writer.js';
import type { InvoiceSyntax } from './read-invoice.js';
import { renderUbl } from './ubl-writer.js';

/** XRechnung 3.0 bytes in the asked syntax (`GET …/xrechnung?syntax=ubl|cii`). */
export function renderXrechnung(invoice: En16931Invoice, syntax: InvoiceSyntax): Buffer {
  return syntax === 'ubl' ? renderUbl(invoice) : renderCii(invoice);
}
