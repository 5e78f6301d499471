/** Builds camt.053.001.08 documents for tests and the benchmark (the fields Kontor reads). */
export interface CamtTransaction {
  amount: string;
  endToEndId?: string;
  remittance?: string;
  counterpartyIban?: string;
  counterpartyName?: string;
}

export interface CamtEntry {
  reference: string;
  amount: string;
  direction: 'CRDT' | 'DBIT';
  date: string;
  transactions?: CamtTransaction[];
  currency?: string;
}

export interface CamtStatement {
  id: string;
  iban: string;
  entries: CamtEntry[];
}

function transaction(t: CamtTransaction, direction: 'CRDT' | 'DBIT', currency: string): string {
  const [party, account] = direction === 'CRDT' ? ['Dbtr', 'DbtrAcct'] : ['Cdtr', 'CdtrAcct'];
  return `<TxDtls><Refs><EndToEndId>${t.endToEndId ?? 'NOTPROVIDED'}</EndToEndId></Refs>
<Amt Ccy="${currency}">${t.amount}</Amt>
<RltdPties><${party}><Pty><Nm>${t.counterpartyName ?? 'Gegenpartei'}</Nm></Pty></${party}>${
    t.counterpartyIban ? `<${account}><Id><IBAN>${t.counterpartyIban}</IBAN></Id></${account}>` : ''
  }</RltdPties>${t.remittance ? `<RmtInf><Ustrd>${t.remittance}</Ustrd></RmtInf>` : ''}</TxDtls>`;
}

function entry(e: CamtEntry): string {
  const currency = e.currency ?? 'EUR';
  return `<Ntry><NtryRef>${e.reference}</NtryRef><Amt Ccy="${currency}">${e.amount}</Amt>
<CdtDbtInd>${e.direction}</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
<BookgDt><Dt>${e.date}</Dt></BookgDt><ValDt><Dt>${e.date}</Dt></ValDt>
<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
<NtryDtls>${(e.transactions ?? []).map((t) => transaction(t, e.direction, currency)).join('')}</NtryDtls></Ntry>`;
}

export function camt053(statements: CamtStatement[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>
<GrpHdr><MsgId>MSG-1</MsgId><CreDtTm>2027-02-01T06:00:00</CreDtTm></GrpHdr>
${statements
  .map(
    (s) => `<Stmt><Id>${s.id}</Id><CreDtTm>2027-02-01T06:00:00</CreDtTm>
<Acct><Id><IBAN>${s.iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>${s.entries.map(entry).join('')}</Stmt>`,
  )
  .join('\n')}
</BkToCstmrStmt></Document>`;
}
