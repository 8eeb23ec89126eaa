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

/** `<PUBLIC_URL>/<path>?token=…`: what the React example and any app handle. */
export const linkTo = (publicUrl: string, path: string, token: string): string => `${publicUrl}/${path}?token=${encodeURIComponent(token)}`;

/** The links in a message's plain text (each stands on a line of its own, as linkMessage writes it). */
export const linksIn = (text: string): string[] => text.match(/https?:\/\/\S+/g) ?? [];
