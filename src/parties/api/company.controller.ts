import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import {
  RequestContext,
  RequestContextValue,
  RequirePermission,
} from '../../access/access.module.js';
import { NotFoundError } from '../../event-sourcing/index.js';
import { CompanyRecord, PartiesService } from '../application/parties.service.js';
import { missingSellerFields } from '../domain/company.js';
import { CompanySettings } from '../domain/company.events.js';
import { CompanySettingsRequest } from './parties.dto.js';
import { CompanySettingsResponse } from './parties.response.dto.js';
import { bookParam, metadataOf, withoutNulls } from './parties.controller.js';

/** `PUT/GET /v1/books/:book/settings/company` (API.md "The seller: the book's company data"). */
@ApiTags('parties')
@Controller('v1/books/:book/settings/company')
export class CompanySettingsController {
  constructor(private readonly parties: PartiesService) {}

  @Put()
  @RequirePermission('settings:write')
  @ApiOperation({
    summary:
      "Set the book's company data (the seller on invoices) as a whole; `missingSellerFields` says what e-invoices still need",
  })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiOkResponse({ type: CompanySettingsResponse })
  @ApiNotFoundResponse({ description: 'no such book (`not-found`)' })
  async put(
    @Param('book') book: string,
    @Body() body: CompanySettingsRequest,
    @RequestContext() context: RequestContextValue,
  ) {
    const bookId = bookParam(book);
    const record = await this.parties.setCompany(
      {
        type: 'ChangeCompanySettings',
        bookId,
        settings: withoutNulls(body) as CompanySettings,
      },
      metadataOf(context),
    );
    return companyResponse(bookId, record);
  }

  @Get()
  @RequirePermission('settings:read')
  @ApiOperation({ summary: "The book's company data and what e-invoices still need of it" })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiOkResponse({ type: CompanySettingsResponse })
  @ApiNotFoundResponse({ description: 'no such book, or no company data yet (`not-found`)' })
  async get(@Param('book') book: string) {
    const bookId = bookParam(book);
    const record = await this.parties.companyRecord(bookId);
    if (!record) {
      await this.parties.assertBookExists(bookId);
      throw new NotFoundError(
        `Book ${bookId} has no company data yet: PUT /v1/books/${bookId}/settings/company with name, address and email`,
      );
    }
    return companyResponse(bookId, record);
  }
}

function companyResponse(bookId: string, record: CompanyRecord) {
  return {
    book: bookId,
    ...record.settings,
    missingSellerFields: missingSellerFields(record.settings),
    updatedAt: record.updatedAt,
    position: Number(record.position),
  };
}
