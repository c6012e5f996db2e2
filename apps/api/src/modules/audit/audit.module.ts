import type { AppModule } from '../module.js';
import { auditRoutes } from './audit.routes.js';
import { AUDIT_SCHEMAS } from './audit.schemas.js';
import { createAuditService, type AuditService } from './audit.service.js';

declare module '../module.js' {
  interface Services {
    audit: AuditService;
  }
}

/** The audit log: written by every module that changes something an admin must be able to trace. */
export const auditModule: AppModule = {
  name: 'audit',
  setup(ctx) {
    ctx.services.audit = createAuditService({ db: ctx.db });
  },
  routes: auditRoutes,
  schemas: AUDIT_SCHEMAS,
};
