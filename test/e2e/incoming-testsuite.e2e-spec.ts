import { randomUUID } from 'node:crypto';
import { canonicalDecimal } from '../../src/einvoice/index.js';
import {
  statedValues,
  testsuiteFiles,
  testsuiteXml,
} from '../../src/einvoice/test-support/testsuite-files.js';
import { TestApp, startTestApp } from '../support/app.js';
import { upload } from '../support/binary-upload.js';

/** Every KoSIT XRechnung test invoice through POST …/incoming-invoices: the answer states the file's own values. */
describe('the KoSIT test suite as incoming invoices (sqlite)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ store: 'sqlite', env: { LOG_LEVEL: 'silent' } });
  });

  afterAll(async () => {
    await app?.close();
  });

  // One book per file: the UBL and the CII file of a case are the same invoice (a duplicate).
  it.each(testsuiteFiles)('%s: number, dates and totals as the file states them', async (file) => {
    const book = `kosit-${randomUUID().slice(0, 8)}`;
    const opened = await app.request('POST', '/v1/books', {
      key: app.adminKey,
      body: { id: book, name: 'Empfänger GmbH', baseCurrency: 'EUR', chart: 'skr03' },
    });
    expect(opened.status).toBe(201);
    const received = await upload(
      app,
      `/v1/books/${book}/incoming-invoices`,
      testsuiteXml(file),
      'application/xml',
      app.adminKey,
    );
    const stated = statedValues(file);
    expect({ file, status: received.status, detail: received.body.detail }).toEqual({
      file,
      status: 201,
      detail: undefined,
    });
    expect(received.body).toMatchObject({
      number: stated.number,
      issueDate: stated.issueDate,
      totals: {
        net: canonicalDecimal(stated.taxExclusiveTotal),
        gross: canonicalDecimal(stated.taxInclusiveTotal),
        payable: canonicalDecimal(stated.payableAmount),
      },
    });
  });
});
