import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module.js';
import { LedgerReadModule } from '../ledger/ledger-read.module.js';
import { LateBookingsController } from './api/late-bookings.controller.js';

/**
 * GoBD controls beside the ledger (docs/adr/0014): the timeliness report, the year-end
 * carry-forward and the procedure documentation generator (`kontor docs procedure`).
 */
@Module({
  imports: [LedgerModule, LedgerReadModule],
  controllers: [LateBookingsController],
})
export class ControlsModule {}
export { writeProcedure } from './procedure/write-procedure.js';
