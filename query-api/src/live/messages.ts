import { LiveClientMessage, compileValidator } from '@reeltime/schemas';

/** Explains a bad message by the branch its `type` names (a long subscribe is "too many channels"). */
const clientMessage = compileValidator(LiveClientMessage);

/** A client's text frame as a protocol message, or why it is not one (sent back as `bad_request`). */
export function parseClientMessage(raw: string): { message: LiveClientMessage } | { problem: string } {
  let message: unknown;
  try {
    message = JSON.parse(raw);
  } catch {
    return { problem: 'Messages must be JSON.' };
  }
  if (!clientMessage.Check(message)) {
    const issues = clientMessage.Issues(message).slice(0, 3);
    return { problem: `Not a valid message: ${issues.map((issue) => `${issue.path || '/'} ${issue.message}`).join('; ')}.` };
  }
  return { message };
}
