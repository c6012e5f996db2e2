import type { AppModule } from '../module.js';
import { LEDGER_SCHEMAS } from './ledger.schemas.js';
import { ledgerRoutes } from './ledger.routes.js';
import { createLedgerService, type LedgerService } from './ledger.service.js';

declare module '../module.js' {
  interface Services {
    ledger: LedgerService;
  }
}

/** The append-only money ledger (reserve, release, refund) and influencers' earnings. */
export const ledgerModule: AppModule = {
  name: 'ledger',
  schemas: LEDGER_SCHEMAS,
  setup(ctx) {
    ctx.services.ledger = createLedgerService({ db: ctx.db });
  },
  routes: ledgerRoutes,
};
