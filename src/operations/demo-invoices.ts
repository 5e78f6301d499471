import { CreditNotes, InvoiceDrafts, InvoiceIssuing } from '../billing/billing.module.js';
import { deterministicId } from '../event-sourcing/index.js';
import { PartiesService } from '../parties/parties.module.js';
import type { DemoContext } from './demo-context.js';

const demoAddress = {
  street: 'Friedrichstraße 1',
  postalCode: '10117',
  city: 'Berlin',
  country: 'DE',
};

const admin = { id: 'demo', name: 'kontor demo', roles: ['admin' as const] };

/** The demo customers: one domestic, one in the Netherlands (invoiced under reverse charge). */
const demoCustomers = [
  { number: '10000', name: 'Müller & Söhne KG', vatId: undefined, city: ['Köln', '50667', 'DE'] },
  {
    number: '10001',
    name: 'Bouwbedrijf Jansen B.V.',
    vatId: 'NL123456789B01',
    city: ['Utrecht', '3511 AB', 'NL'],
  },
] as const;

/** Lines are [description, quantity, unit, unitPrice, taxCode]; the step `draft` stays a draft. */
const demoInvoices = [
  {
    step: 'consulting',
    customer: '10000',
    date: '2026-11-05',
    lines: [
      ['Beratung Jahresabschluss', '12.5', 'HUR', '95.00', 'USt19'],
      ['Fachbuch', '2', 'C62', '30.25', 'USt7'],
    ],
  },
  {
    step: 'assembly',
    customer: '10001',
    date: '2026-11-12',
    lines: [['Montage (§ 13b UStG)', '8', 'HUR', '80.00', 'RC13b']],
  },
  {
    step: 'support',
    customer: '10000',
    date: '2026-11-20',
    lines: [['Support November', '1', 'C62', '450.00', 'USt19']],
  },
  {
    step: 'draft',
    customer: '10000',
    date: '2026-11-30',
    lines: [['Support Dezember', '1', 'C62', '450.00', 'USt19']],
  },
];

/**
 * Billing in the demo book (opened with SKR03): the company, two customers, three issued
 * invoices (RE-2026-00001 … 00003, one reverse charge), one open draft and a full credit note.
 */
export async function seedInvoices(context: DemoContext): Promise<void> {
  await setDemoCompany(context);
  await registerDemoCustomers(context);
  const issued = await createDemoInvoices(context);
  const credit = await creditDemoSupportInvoice(context);
  context.log(
    `billing: invoices ${issued.join(', ')}; credit note ${credit.status === 'issued' ? credit.number : credit.status}; one open draft`,
  );
}

async function setDemoCompany(context: DemoContext): Promise<void> {
  const company = await context.app.get(PartiesService).setCompany(
    {
      type: 'ChangeCompanySettings',
      bookId: context.book,
      settings: {
        name: 'Demo GmbH',
        address: demoAddress,
        vatId: 'DE123456789',
        registration: 'Amtsgericht Berlin HRB 12345 B',
        email: 'rechnung@demo-gmbh.example',
        phone: '+49 30 1234567',
        contactName: 'Erika Mustermann',
        iban: 'DE02120300000000202051',
      },
    },
    context.metadata('company'),
  );
  context.reached(BigInt(company.position ?? 0));
}

async function registerDemoCustomers(context: DemoContext): Promise<void> {
  const { app, book } = context;
  const parties = app.get(PartiesService);
  for (const customer of demoCustomers) {
    await parties.register(
      {
        type: 'RegisterParty',
        bookId: book,
        partyId: deterministicId('kontor-demo-party', book, customer.number),
        kind: 'customer',
        number: customer.number,
        master: {
          name: customer.name,
          naturalPerson: false,
          address: {
            street: 'Hauptstraße 5',
            city: customer.city[0],
            postalCode: customer.city[1],
            country: customer.city[2],
          },
          ...(customer.vatId ? { vatId: customer.vatId } : {}),
          paymentTermsDays: 14,
        },
      },
      context.metadata(`party-${customer.number}`),
    );
  }
}

/** Creates every demo invoice as a draft and issues all but `draft`; returns "number (customer)" of each issued. */
async function createDemoInvoices(context: DemoContext): Promise<string[]> {
  const { app, book } = context;
  const drafts = app.get(InvoiceDrafts);
  const issuing = app.get(InvoiceIssuing);
  const issued: string[] = [];
  for (const invoice of demoInvoices) {
    const id = deterministicId('kontor-demo-invoice', book, invoice.step);
    const answer = await drafts.create(
      book,
      id,
      {
        customer: invoice.customer,
        issueDate: invoice.date,
        deliveryDate: invoice.date,
        lines: invoice.lines.map(([description, quantity, unit, unitPrice, taxCode]) => ({
          description: description!,
          quantity: quantity!,
          unit: unit!,
          unitPrice: unitPrice!,
          taxCode: taxCode!,
        })),
      },
      context.metadata(`invoice-${invoice.step}`),
    );
    context.reached(answer.position ?? 0n);
    if (invoice.step === 'draft') continue;
    const outcome = await issuing.issue(book, id, context.metadata(`issue-${invoice.step}`), admin);
    context.reached(outcome.position);
    if (outcome.status === 'issued') issued.push(`${outcome.number} (${invoice.customer})`);
  }
  return issued;
}

/** A full credit note for the support invoice. */
async function creditDemoSupportInvoice(context: DemoContext) {
  const { app, book } = context;
  const credit = await app
    .get(CreditNotes)
    .issue(
      book,
      deterministicId('kontor-demo-invoice', book, 'support'),
      deterministicId('kontor-demo-credit-note', book, 'support'),
      { reason: 'Storno: Support doppelt berechnet' },
      context.metadata('credit-note-support'),
      admin,
    );
  context.reached(credit.position);
  return credit;
}
