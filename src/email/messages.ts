import type { MailMessage } from './mailer';

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character] ?? character);

function linkMessage(to: string, subject: string, intro: string, link: string, closing: string): MailMessage {
  return {
    to,
    subject,
    text: `${intro}\n\n${link}\n\n${closing}\n`,
    html: `<p>${escapeHtml(intro)}</p>\n<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>\n<p>${escapeHtml(closing)}</p>\n`,
  };
}

export function verificationMessage(to: string, link: string, validHours: number): MailMessage {
  return linkMessage(
    to,
    'Confirm your email address',
    'Please confirm your email address by opening this link:',
    link,
    `The link works once and expires in ${validHours} hours. If you did not sign up, ignore this message.`,
  );
}

export function passwordResetMessage(to: string, link: string, validMinutes: number): MailMessage {
  return linkMessage(
    to,
    'Reset your password',
    'Someone asked to reset the password of your account. To choose a new password, open this link:',
    link,
    `The link works once and expires in ${validMinutes} minutes. If it was not you, ignore this message: your password stays as it is.`,
  );
}

export function invitationMessage(to: string, invitation: { accountName: string; role: string; invitedBy: string }, link: string, validDays: number): MailMessage {
  return linkMessage(
    to,
    `You are invited to ${invitation.accountName}`,
    `${invitation.invitedBy} invited you to join ${invitation.accountName} as ${invitation.role}. To accept, sign in with this email address (sign up first if you have no account) and open this link:`,
    link,
    `The invitation expires in ${validDays} days. If you do not want to join, ignore this message or decline with the same link.`,
  );
}

/** A message that asks nothing of its reader: no link, so a stranger reading it can act on nothing. */
function noticeMessage(to: string, subject: string, paragraphs: readonly string[]): MailMessage {
  return {
    to,
    subject,
    text: `${paragraphs.join('\n\n')}\n`,
    html: `${paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n')}\n`,
  };
}

export function emailChangeMessage(to: string, link: string, validHours: number): MailMessage {
  return linkMessage(
    to,
    'Confirm your new email address',
    'Someone asked to make this the email address of their account. To confirm, open this link:',
    link,
    `The link works once and expires in ${validHours} hours. If it was not you, ignore this message: nothing changes.`,
  );
}

/**
 * To the address being replaced. It names neither the new address nor a link: the old address may be a
 * mistyped one that belongs to a stranger, and whoever reads it must not be able to steer the change.
 */
export function emailChangeNoticeMessage(to: string): MailMessage {
  return noticeMessage(to, 'Your email address is being changed', [
    'Someone signed in to your account, confirmed its password and asked to change its email address. The change takes effect once the new address is confirmed.',
    'If it was not you, change your password now and end your other sessions: whoever did this knows it.',
  ]);
}

/** To a new address that already belongs to an account: the asker is answered as if it were free, so only its owner learns of the attempt. */
export function emailChangeAddressTakenMessage(to: string): MailMessage {
  return noticeMessage(to, 'Someone tried to use your email address', [
    'Someone asked to make this the email address of another account. It already belongs to yours, so nothing changed.',
    'If it was you, sign in with this address instead. Otherwise you need do nothing.',
  ]);
}

/** `<PUBLIC_URL>/<path>?token=…`: what the React example and any app handle. */
export const linkTo = (publicUrl: string, path: string, token: string): string => `${publicUrl}/${path}?token=${encodeURIComponent(token)}`;

/** The links in a message's plain text (each stands on a line of its own, as linkMessage writes it). */
export const linksIn = (text: string): string[] => text.match(/https?:\/\/\S+/g) ?? [];
