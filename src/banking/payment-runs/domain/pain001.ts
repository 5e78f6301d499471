import { assert, formatAmount } from '../../../event-sourcing/index.js';
import { serializeXml, xmlGroup, xmlLeaf, type XmlElement } from '../../../einvoice/index.js';

// ISO 20022 pain.001.001.09 (Customer Credit Transfer Initiation), as the EPC SEPA Credit
// Transfer implementation guidelines (EPC132-08, customer-to-PSP) and the German banks take it:
// one payment information block, euro only, service level SEPA, charges shared (SLEV).

export const pain001Namespace = 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.09';
/** Names (Nm) and the unstructured remittance line (Ustrd) at most this long (EPC). */
export const sepaNameLengthMax = 70;
export const sepaRemittanceLengthMax = 140;

export interface SepaAccountHolder {
  name: string;
  iban: string;
  bic?: string;
}

export interface Pain001CreditTransfer {
  endToEndId: string;
  amountMinor: bigint;
  creditor: SepaAccountHolder;
  /** The invoice number (RmtInf/Ustrd). */
  remittance: string;
}

export interface Pain001Message {
  /** MsgId and PmtInfId: at most 35 characters of [A-Za-z0-9-]. */
  messageId: string;
  /** CreDtTm: ISO 8601 UTC (the execution's time, so the file's bytes are the run's). */
  createdAt: string;
  executionDate: string;
  debtor: SepaAccountHolder;
  transfers: readonly Pain001CreditTransfer[];
}

/** Spelled out before accents are dropped (German umlauts; letters NFD does not split). */
const spelledLetters: Readonly<Record<string, string>> = Object.fromEntries(
  [...'äöüÄÖÜß&łŁøØđĐæÆœŒ'].map((letter, index) => [
    letter,
    [
      'ae',
      'oe',
      'ue',
      'Ae',
      'Oe',
      'Ue',
      'ss',
      '+',
      'l',
      'L',
      'o',
      'O',
      'd',
      'D',
      'ae',
      'Ae',
      'oe',
      'Oe',
    ][index]!,
  ]),
);

/**
 * Text in the SEPA basic Latin character set (a–z A–Z 0–9 / - ? : ( ) . , ' + space): German
 * umlauts spelled out, other accents dropped, anything else a space; cut to `lengthMax`.
 */
export function sepaText(text: string, lengthMax: number): string {
  const spelled = text.replace(/[äöüÄÖÜß&łŁøØđĐæÆœŒ]/g, (letter) => spelledLetters[letter]!);
  const plain = spelled.normalize('NFD').replace(/\p{M}/gu, '');
  const basic = plain
    .replace(/[^a-zA-Z0-9/\-?:().,'+ ]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return basic.slice(0, lengthMax).trim();
}

/** CreDtTm without fractions of a second (xs:dateTime, as banks show it). */
function creationTime(iso: string): string {
  const time = new Date(iso);
  assert(!Number.isNaN(time.getTime()), `creation time ${iso} is a time`);
  return `${time.toISOString().slice(0, 19)}Z`;
}

function nameOf(tag: string, holder: SepaAccountHolder): XmlElement {
  return xmlGroup(tag, [xmlLeaf('Nm', sepaText(holder.name, sepaNameLengthMax) || 'NOTPROVIDED')])!;
}

function account(tag: string, iban: string): XmlElement {
  return xmlGroup(tag, [xmlGroup('Id', [xmlLeaf('IBAN', iban)])])!;
}

function debtorAgent(bic: string | undefined): XmlElement {
  const institution =
    bic !== undefined ? xmlLeaf('BICFI', bic) : xmlGroup('Othr', [xmlLeaf('Id', 'NOTPROVIDED')]);
  return xmlGroup('DbtrAgt', [xmlGroup('FinInstnId', [institution])])!;
}

function transfer(item: Pain001CreditTransfer): XmlElement {
  return xmlGroup('CdtTrfTxInf', [
    xmlGroup('PmtId', [xmlLeaf('EndToEndId', item.endToEndId)]),
    xmlGroup('Amt', [xmlLeaf('InstdAmt', formatAmount(item.amountMinor, 'EUR'), { Ccy: 'EUR' })]),
    item.creditor.bic !== undefined &&
      xmlGroup('CdtrAgt', [xmlGroup('FinInstnId', [xmlLeaf('BICFI', item.creditor.bic)])]),
    nameOf('Cdtr', item.creditor),
    account('CdtrAcct', item.creditor.iban),
    xmlGroup('RmtInf', [xmlLeaf('Ustrd', sepaText(item.remittance, sepaRemittanceLengthMax))]),
  ])!;
}

/** The pain.001.001.09 document of one run: the same message, the same bytes. */
export function renderPain001(message: Pain001Message): string {
  assert(message.transfers.length > 0, 'a pain.001 message has credit transfers');
  const count = String(message.transfers.length);
  const sum = formatAmount(
    message.transfers.reduce((total, item) => total + item.amountMinor, 0n),
    'EUR',
  );
  const document = xmlGroup(
    'Document',
    [
      xmlGroup('CstmrCdtTrfInitn', [
        xmlGroup('GrpHdr', [
          xmlLeaf('MsgId', message.messageId),
          xmlLeaf('CreDtTm', creationTime(message.createdAt)),
          xmlLeaf('NbOfTxs', count),
          xmlLeaf('CtrlSum', sum),
          nameOf('InitgPty', message.debtor),
        ]),
        xmlGroup('PmtInf', [
          xmlLeaf('PmtInfId', message.messageId),
          xmlLeaf('PmtMtd', 'TRF'),
          xmlLeaf('NbOfTxs', count),
          xmlLeaf('CtrlSum', sum),
          xmlGroup('PmtTpInf', [xmlGroup('SvcLvl', [xmlLeaf('Cd', 'SEPA')])]),
          xmlGroup('ReqdExctnDt', [xmlLeaf('Dt', message.executionDate)]),
          nameOf('Dbtr', message.debtor),
          account('DbtrAcct', message.debtor.iban),
          debtorAgent(message.debtor.bic),
          xmlLeaf('ChrgBr', 'SLEV'),
          message.transfers.map(transfer),
        ]),
      ]),
    ],
    { xmlns: pain001Namespace },
  );
  return serializeXml(document!);
}
