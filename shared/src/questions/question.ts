import { z } from 'zod';
import { isoDateTime, recordId, syncMetaShape } from '../sync/record';

/** A participant's question to a session's speaker. Moderators mark it answered or hide it. */
export const questionRecord = z.object({
  ...syncMetaShape,
  sessionId: recordId,
  participantId: recordId.nullable(),
  askedBy: recordId.nullable(),
  text: z.string().trim().min(1).max(2000),
  askedAt: isoDateTime,
  isAnswered: z.boolean(),
  answeredBy: recordId.nullable(),
  answeredAt: isoDateTime.nullable(),
  isHidden: z.boolean(),
  legacyId: z.int().min(0),
});
export type QuestionRecord = z.infer<typeof questionRecord>;
export const questionCreateInput = z.object({
  sessionId: recordId,
  text: z.string().trim().min(1).max(2000),
});
