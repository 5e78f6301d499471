import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import {
  RequestContext,
  RequestContextValue,
  RequirePermission,
} from '../../access/access.module.js';
import { Clock, NotFoundError } from '../../event-sourcing/index.js';
import { CLOCK } from '../../infrastructure/tokens.js';
import { ErasureRecord, PartyErasures } from '../application/party-erasures.js';
import { PartiesService } from '../application/parties.service.js';
import { RETENTION_RECORDS } from '../application/retention-records.js';
import type { RetentionRecords } from '../application/retention-records.js';
import { ErasePartyRequest, ErasureResponse, PersonalDataResponse } from './party-erasure.dto.js';
import { bookParam, historyEntryResponse, metadataOf, partyView } from './parties.controller.js';

const processing =
  "A natural person's name, address, e-mail, phone and IBAN are held in the log only encrypted (AES-256-GCM) under keys kept outside the log, one per retention class; e-mail and phone are erased at once on request, name, address and IBAN when the retention of the invoices and bookings naming the person ends (§147 AO: 8 / 10 years). docs/security.md.";

/** `POST …/parties/:id/erase` (GDPR Art. 17) and `GET …/parties/:id/personal-data` (Art. 15). */
@ApiTags('parties')
@Controller('v1/books/:book/parties/:id')
export class PartyErasureController {
  constructor(
    private readonly parties: PartiesService,
    private readonly erasures: PartyErasures,
    @Inject(RETENTION_RECORDS) private readonly records: RetentionRecords,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('erase')
  @HttpCode(200)
  @RequirePermission('personal-data:manage')
  @ApiOperation({
    summary:
      'Erase a natural person (GDPR Art. 17): e-mail and phone at once, name, address and IBAN when their retention ends (the answer says when); the party is restricted from then on. Again: the erasure as it stands',
  })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiParam({ name: 'id', description: 'Party id or personal account number' })
  @ApiOkResponse({ type: ErasureResponse })
  @ApiNotFoundResponse({ description: 'no such book or party (`not-found`)' })
  @ApiConflictResponse({ description: 'a concurrent change (`conflict`)' })
  @ApiUnprocessableEntityResponse({
    description: '`business-rule`: the party is a company (no personal data)',
  })
  async erase(
    @Param('book') book: string,
    @Param('id') id: string,
    @Body() body: ErasePartyRequest,
    @RequestContext() context: RequestContextValue,
  ) {
    const record = await this.erasures.request(
      bookParam(book),
      id,
      body.reason,
      metadataOf(context),
    );
    return erasureResponse(record);
  }

  @Get('personal-data')
  @RequirePermission('personal-data:manage')
  @ApiOperation({
    summary:
      'Everything Kontor holds about the person (GDPR Art. 15): master data and its history, invoices and bookings naming the party, the erasure',
  })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiParam({ name: 'id', description: 'Party id or personal account number' })
  @ApiOkResponse({ type: PersonalDataResponse })
  @ApiNotFoundResponse({ description: 'no such book or party (`not-found`)' })
  async personalData(@Param('book') book: string, @Param('id') id: string) {
    const bookId = bookParam(book);
    await this.parties.assertBookExists(bookId);
    const party = await this.parties.find(bookId, id);
    if (!party) throw new NotFoundError(`Party ${id} not found in book ${bookId}`);
    const [history, references, erasure] = await Promise.all([
      this.parties.history(bookId, party.id),
      this.records.referencing(bookId, party.id),
      this.erasures.erasure(bookId, party.id),
    ]);
    return {
      generatedAt: this.clock.now().toISOString(),
      party: partyView(party),
      history: history.map(historyEntryResponse),
      ...references,
      erasure: erasure ? erasureResponse(erasure) : null,
      processing,
    };
  }
}

function erasureResponse(record: ErasureRecord) {
  const { bookId, position, ...rest } = record;
  return {
    ...rest,
    book: bookId,
    ...(position !== undefined ? { position: Number(position) } : {}),
  };
}
