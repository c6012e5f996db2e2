import type { Role, UserStatus } from '@iescp/shared';

/** Who is calling, as read from the database on this very request. */
export interface Actor {
  id: string;
  role: Role;
  status: UserStatus;
}
