import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AccessModule } from './access/access.module.js';
import { ApprovalsModule } from './approvals/approvals.module.js';
import { AuditModule } from './audit/audit.module.js';
import { ConsoleModule } from './console/console.module.js';
import { BankingModule } from './banking/banking.module.js';
import { BillingModule } from './billing/billing.module.js';
import { DocumentsModule } from './documents/documents.module.js';
import { PayablesModule } from './payables/payables.module.js';
import { LedgerModule } from './ledger/ledger.module.js';
import { LedgerReadModule } from './ledger/ledger-read.module.js';
import { ProjectionsModule } from './infrastructure/projections/projections.module.js';
import { ClusterModule } from './infrastructure/cluster/cluster.module.js';
import { EventsApiModule } from './subscriptions/events-api.module.js';
import { SubscriptionsModule } from './subscriptions/subscriptions.module.js';
import { LoggingModule } from './infrastructure/http/logging.module.js';
import { OperationsModule } from './operations/operations.module.js';
import { PartiesModule } from './parties/parties.module.js';
import { SecurityModule } from './operations/security.module.js';
import {
  InfrastructureModule,
  InfrastructureOptions,
} from './infrastructure/infrastructure.module.js';

/**
 * The application. Add a capability module with one line in `imports`; the global
 * InfrastructureModule (config, event store, clock, metrics, readiness) is added by forRoot.
 */
@Module({
  imports: [
    CqrsModule.forRoot(),
    LoggingModule,
    OperationsModule,
    AccessModule,
    SecurityModule,
    ProjectionsModule,
    ClusterModule,
    EventsApiModule,
    SubscriptionsModule,
    AuditModule,
    LedgerModule,
    LedgerReadModule,
    ApprovalsModule,
    BankingModule,
    PartiesModule,
    ConsoleModule,
    BillingModule,
    DocumentsModule,
    PayablesModule,
  ],
})
export class AppModule {
  static forRoot(options: InfrastructureOptions): DynamicModule {
    return { module: AppModule, imports: [InfrastructureModule.forRoot(options)] };
  }
}
