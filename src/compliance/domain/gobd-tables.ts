import { TableColumn, TableDefinition } from './gdpdu-index.js';

const text = (name: string, description: string, maxLength?: number): TableColumn => ({
  name,
  description,
  type: maxLength === undefined ? { kind: 'text' } : { kind: 'text', maxLength },
});
const amount = (name: string, description: string): TableColumn => ({
  name,
  description,
  type: { kind: 'number', accuracy: 2 },
});
const integer = (name: string, description: string): TableColumn => ({
  name,
  description,
  type: { kind: 'number', accuracy: 0 },
});
const date = (name: string, description: string): TableColumn => ({
  name,
  description,
  type: { kind: 'date' },
});

/** The tables of Kontor's Z3 export (docs/compliance.md, "GoBD Z3"). */
export const gobdTables = {
  journal: {
    file: 'buchungen.csv',
    name: 'Buchungen',
    description: 'Buchungszeilen des Wirtschaftsjahres (Journal), je Zeile Soll oder Haben',
    primaryKey: 2,
    columns: [
      text('Buchungs_ID', 'Id der Buchung (journal entry)'),
      integer('Zeile', 'Zeilennummer in der Buchung, ab 1'),
      date('Buchungsdatum', 'Leistungs-/Belegdatum (effective date)'),
      text('Erfasst_am', 'Zeitpunkt der Erfassung im Protokoll (UTC, ISO 8601)'),
      integer('Protokollposition', 'Position des Ereignisses im Hash-verketteten Protokoll'),
      text('Buchungstext', 'Beschreibung der Buchung'),
      text('Belegnummer', 'Referenz, z. B. Rechnungsnummer'),
      text('Konto', 'Sachkonto'),
      text('Kontobezeichnung', 'Name des Sachkontos'),
      amount('Soll', 'Betrag im Soll'),
      amount('Haben', 'Betrag im Haben'),
      text('Waehrung', 'ISO 4217'),
      text('Steuerschluessel', 'Steuerschlüssel der Zeile'),
      text('Personenkonto', 'Debitor/Kreditor der Zeile (Personenkontonummer)'),
      text('Storno_von', 'Id der stornierten Buchung'),
    ],
    foreignKeys: [{ columns: ['Konto'], references: 'Konten' }],
  },
  accounts: {
    file: 'konten.csv',
    name: 'Konten',
    description: 'Kontenplan (Sachkonten) des Buches',
    primaryKey: 1,
    columns: [
      text('Konto', 'Kontonummer'),
      text('Bezeichnung', 'Name'),
      text('Kontoart', 'asset, liability, equity, revenue, expense'),
      text('Waehrung', 'Kontowährung, leer: jede'),
      text('Status', 'open oder closed'),
      text('Eroeffnet_am', 'Zeitpunkt der Eröffnung (UTC)'),
    ],
  },
  parties: {
    file: 'personenkonten.csv',
    name: 'Personenkonten',
    description: 'Debitoren und Kreditoren mit Stammdaten',
    primaryKey: 1,
    columns: [
      text('Personenkonto', 'Personenkontonummer'),
      text('Partei_ID', 'Id der Partei'),
      text('Art', 'customer (Debitor) oder supplier (Kreditor)'),
      text('Name', 'Name (gelöschte personenbezogene Daten: leer)'),
      text('USt_IdNr', 'Umsatzsteuer-Identifikationsnummer'),
      text('Steuernummer', 'Steuernummer'),
      text('Strasse', 'Straße'),
      text('PLZ', 'Postleitzahl'),
      text('Ort', 'Ort'),
      text('Land', 'ISO 3166-1'),
    ],
  },
  invoices: {
    file: 'belege_buchungen.csv',
    name: 'Rechnungen',
    description:
      'Rechnungen, Gutschriften, Eingangsrechnungen, Zahlungen und andere Belege, die mit ihrer Buchung erfasst wurden',
    primaryKey: 1,
    columns: [
      text('Beleg_ID', 'Id des Belegs'),
      text('Belegart', 'Ereignistyp, z. B. InvoiceIssued, CreditNoteIssued, IncomingInvoiceBooked'),
      text('Belegnummer', 'Nummer des Belegs (Ausgangsrechnungen: lückenlos je Nummernkreis)'),
      date('Belegdatum', 'Datum der Buchung des Belegs'),
      date('Faellig_am', 'Fälligkeit, falls angegeben'),
      text('Buchungs_ID', 'Id der Buchung des Belegs'),
      amount('Betrag', 'Summe der Sollseite der Buchung'),
      text('Waehrung', 'ISO 4217'),
      text('Bezieht_sich_auf', 'Id des Belegs, auf den er sich bezieht (Gutschrift → Rechnung)'),
      integer('Protokollposition', 'Position des Ereignisses im Protokoll'),
    ],
    foreignKeys: [{ columns: ['Buchungs_ID'], references: 'Buchungen' }],
  },
  documents: {
    file: 'belegablage.csv',
    name: 'Belegablage',
    description: 'Originaldokumente der Belegablage (Dateien bleiben in Kontor, Abruf über die Id)',
    primaryKey: 1,
    columns: [
      text('Dokument_ID', 'sha256:<hex> der unveränderten Datei'),
      integer('Groesse', 'Bytes'),
      text('Inhaltstyp', 'MIME-Typ'),
      text('Dateiname', 'Dateiname beim Hochladen'),
      text('Abgelegt_am', 'Zeitpunkt der Ablage (UTC)'),
      integer('Protokollposition', 'Position des Ereignisses im Protokoll'),
    ],
  },
} as const satisfies Record<string, TableDefinition>;
