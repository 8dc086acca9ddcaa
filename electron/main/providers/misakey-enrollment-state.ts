import { z } from 'zod';
import { misakeyCredentialsSchema } from './connection';
import { misakeyUuidSchema } from './misakey';

const common = {
  identityId: misakeyUuidSchema,
  baseUrl: z.string().max(2048),
  credentials: misakeyCredentialsSchema,
  enrollmentId: misakeyUuidSchema,
  startedAt: z.number().int().nonnegative(),
};

/**
 * A started Misakey enrollment, saved after every step so it can resume where it stopped:
 * started (QR read) -> account-added -> finished (codes received) -> cleared once all is stored.
 */
export const misakeyEnrollmentStateSchema = z.discriminatedUnion('stage', [
  z.object({ stage: z.literal('started'), ...common, otpauthUri: z.string().startsWith('otpauth://totp/').max(4096) }),
  z.object({
    stage: z.literal('account-added'),
    ...common,
    accountId: z.string().min(1),
    /** A finish call whose answer was lost: Misakey may have completed the enrollment already. */
    finishMayHaveArrived: z.boolean(),
  }),
  z.object({ stage: z.literal('finished'), ...common, accountId: z.string().min(1), recoveryCodes: z.array(z.string()).min(1) }),
]);
export type MisakeyEnrollmentState = z.infer<typeof misakeyEnrollmentStateSchema>;
export type EnrollmentStage = MisakeyEnrollmentState['stage'] | 'stored';
