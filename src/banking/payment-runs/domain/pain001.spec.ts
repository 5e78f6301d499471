import { XMLParser } from 'fast-xml-parser';
import { pain001SchemaErrors } from '../../../../test/support/pain001-schema.js';
import { Pain001Message, renderPain001, sepaText } from './pain001.js';

const message: Pain001Message = {
  messageId: 'KPR7',
  createdAt: '2027-01-14T09:30:12.345Z',
  executionDate: '2027-01-15',
  debtor: { name: 'Müller & Söhne KG', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' },
  transfers: [
    {
      endToEndId: 'KPR7-1',
      amountMinor: 156103n,
      creditor: {
        name: 'Bürobedarf Weiß GmbH',
        iban: 'DE02120300000000202051',
        bic: 'BYLADEM1001',
      },
      remittance: 'RE-2027/0042',
    },
    {
      endToEndId: 'KPR7-2',
      amountMinor: 5n,
      creditor: { name: 'Łukasz Żółw', iban: 'DE02500105170137075030' },
      remittance: 'R 1',
    },
  ],
};

describe('pain.001.001.09 writer', () => {
  it('writes a document the EPC pain.001.001.09 schema accepts (xmllint --schema)', () => {
    expect(pain001SchemaErrors(renderPain001(message))).toEqual([]);
    const noBic = { ...message, debtor: { name: 'X', iban: 'DE89370400440532013000' } };
    expect(pain001SchemaErrors(renderPain001(noBic))).toEqual([]);
  });

  it('carries the run: header sums, execution date, debtor, each transfer with its end-to-end id', () => {
    const xml = renderPain001(message);
    const doc = new XMLParser({ ignoreAttributes: false, parseTagValue: false }).parse(xml);
    const initiation = doc.Document.CstmrCdtTrfInitn;
    expect(initiation.GrpHdr).toEqual({
      MsgId: 'KPR7',
      CreDtTm: '2027-01-14T09:30:12Z',
      NbOfTxs: '2',
      CtrlSum: '1561.08',
      InitgPty: { Nm: 'Mueller + Soehne KG' },
    });
    const payment = initiation.PmtInf;
    expect(payment).toMatchObject({
      PmtInfId: 'KPR7',
      PmtMtd: 'TRF',
      ReqdExctnDt: { Dt: '2027-01-15' },
      DbtrAcct: { Id: { IBAN: 'DE89370400440532013000' } },
      DbtrAgt: { FinInstnId: { BICFI: 'COBADEFFXXX' } },
      ChrgBr: 'SLEV',
    });
    expect(payment.CdtTrfTxInf[0]).toEqual({
      PmtId: { EndToEndId: 'KPR7-1' },
      Amt: { InstdAmt: { '#text': '1561.03', '@_Ccy': 'EUR' } },
      CdtrAgt: { FinInstnId: { BICFI: 'BYLADEM1001' } },
      Cdtr: { Nm: 'Buerobedarf Weiss GmbH' },
      CdtrAcct: { Id: { IBAN: 'DE02120300000000202051' } },
      RmtInf: { Ustrd: 'RE-2027/0042' },
    });
    expect(payment.CdtTrfTxInf[1]).toMatchObject({
      Amt: { InstdAmt: { '#text': '0.05' } },
      Cdtr: { Nm: 'Lukasz Zolw' },
    });
    expect(payment.CdtTrfTxInf[1].CdtrAgt).toBeUndefined();
  });

  it('without a debtor BIC says NOTPROVIDED; the same message gives the same bytes', () => {
    const noBic = { ...message, debtor: { name: 'X', iban: 'DE89370400440532013000' } };
    expect(renderPain001(noBic)).toContain(
      '<DbtrAgt>\n        <FinInstnId>\n          <Othr>\n            <Id>NOTPROVIDED</Id>',
    );
    expect(renderPain001(message)).toBe(renderPain001(structuredClone(message)));
  });

  it('keeps text in the SEPA character set and within its length', () => {
    expect(sepaText('Straße <1> & "Co" – €5', 70)).toBe('Strasse 1 + Co 5');
    expect(sepaText('x'.repeat(80), 70)).toHaveLength(70);
  });
});
