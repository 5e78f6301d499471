import { formatAmountDecimalComma } from '../../event-sourcing/csv/index.js';
import { gdpduDtdFileName } from './gdpdu-dtd.js';

/**
 * A GoBD Z3 data set (GDPdU Beschreibungsstandard): tables as CSV files and the `index.xml` that
 * describes them — file, columns, types, decimal symbol, delimiters — so an auditor's software
 * (IDEA, AIS TaxAudit) imports them without guessing. Pure: the service fills the rows.
 */

export type ColumnType =
  { kind: 'text'; maxLength?: number } | { kind: 'number'; accuracy: number } | { kind: 'date' };

export interface TableColumn {
  name: string;
  description: string;
  type: ColumnType;
}

export interface TableDefinition {
  file: string;
  name: string;
  description: string;
  /** The leading columns that form the primary key. */
  primaryKey: number;
  columns: readonly TableColumn[];
  foreignKeys?: readonly { columns: readonly string[]; references: string }[];
}

/** Amounts are minor units of `amountCurrency` (the book's base currency in Kontor's tables). */
export type Cell = string | bigint | null;

export interface DataSupplier {
  name: string;
  location: string;
  comment: string;
}

/** The decimal symbol every table declares; amounts are written with it, no digit grouping. */
export const decimalSymbol = ',';
export const digitGroupingSymbol = '.';
const columnDelimiter = ';';
const recordDelimiter = '\r\n';
const textEncapsulator = '"';
/** Dates as declared in every Date column (the standard's default format). */
export const dateFormat = 'DD.MM.YYYY';

/** YYYY-MM-DD → DD.MM.YYYY */
export function gdpduDate(date: string): string {
  return `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;
}

/** One CSV record: texts in quotes (quotes doubled), numbers and dates as they are, null empty. */
export function csvRecord(table: TableDefinition, cells: readonly Cell[]): string {
  if (cells.length !== table.columns.length)
    throw new Error(`${table.file}: ${cells.length} cells for ${table.columns.length} columns`);
  return (
    cells
      .map((cell, index) => {
        if (cell === null) return '';
        const type = table.columns[index]!.type;
        const text = typeof cell === 'bigint' ? formatAmountDecimalComma(cell, 'EUR') : cell;
        if (type.kind !== 'text') return text;
        const cut = type.maxLength === undefined ? text : text.slice(0, type.maxLength);
        return `${textEncapsulator}${cut.replace(/[\r\n]+/g, ' ').replaceAll('"', '""')}${textEncapsulator}`;
      })
      .join(columnDelimiter) + recordDelimiter
  );
}

export function indexXml(
  supplier: DataSupplier,
  media: string,
  validity: { from: string; to: string },
  tables: readonly TableDefinition[],
): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<!DOCTYPE DataSet SYSTEM "${gdpduDtdFileName}">`,
    '<DataSet>',
    '  <Version>1.0</Version>',
    '  <DataSupplier>',
    `    <Name>${xml(supplier.name)}</Name>`,
    `    <Location>${xml(supplier.location)}</Location>`,
    `    <Comment>${xml(supplier.comment)}</Comment>`,
    '  </DataSupplier>',
    '  <Media>',
    `    <Name>${xml(media)}</Name>`,
    ...tables.flatMap((table) => tableXml(table, validity)),
    '  </Media>',
    '</DataSet>',
  ];
  return lines.join('\n') + '\n';
}

function tableXml(table: TableDefinition, validity: { from: string; to: string }): string[] {
  return [
    '    <Table>',
    `      <URL>${xml(table.file)}</URL>`,
    `      <Name>${xml(table.name)}</Name>`,
    `      <Description>${xml(table.description)}</Description>`,
    '      <Validity>',
    `        <Range><From>${gdpduDate(validity.from)}</From><To>${gdpduDate(validity.to)}</To></Range>`,
    `        <Format>${dateFormat}</Format>`,
    '      </Validity>',
    '      <UTF8/>',
    `      <DecimalSymbol>${decimalSymbol}</DecimalSymbol>`,
    `      <DigitGroupingSymbol>${digitGroupingSymbol}</DigitGroupingSymbol>`,
    '      <VariableLength>',
    `        <ColumnDelimiter>${columnDelimiter}</ColumnDelimiter>`,
    '        <RecordDelimiter>&#13;&#10;</RecordDelimiter>',
    `        <TextEncapsulator>${xml(textEncapsulator)}</TextEncapsulator>`,
    ...table.columns.map((column, index) =>
      columnXml(index < table.primaryKey ? 'VariablePrimaryKey' : 'VariableColumn', column),
    ),
    ...(table.foreignKeys ?? []).map(
      (key) =>
        `        <ForeignKey>${key.columns.map((name) => `<Name>${xml(name)}</Name>`).join('')}<References>${xml(key.references)}</References></ForeignKey>`,
    ),
    '      </VariableLength>',
    '    </Table>',
  ];
}

function columnXml(element: string, column: TableColumn): string {
  const type =
    column.type.kind === 'number'
      ? `<Numeric><Accuracy>${column.type.accuracy}</Accuracy></Numeric>`
      : column.type.kind === 'date'
        ? `<Date><Format>${dateFormat}</Format></Date>`
        : `<AlphaNumeric/>${column.type.maxLength === undefined ? '' : `<MaxLength>${column.type.maxLength}</MaxLength>`}`;
  return `        <${element}><Name>${xml(column.name)}</Name><Description>${xml(column.description)}</Description>${type}</${element}>`;
}

function xml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}
