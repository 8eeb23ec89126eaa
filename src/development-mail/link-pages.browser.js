'use strict';
/**
 * The development pages behind mailed links (link-pages.ts): each completes its link through this
 * server's /graphql, as any app would. Plain browser JavaScript with no build step of its own: tsc
 * (allowJs in tsconfig.build.json) emits it into dist/ as it is, bar formatting. Not named
 * link-pages.js: that is where link-pages.ts compiles to.
 */
(() => {
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  const status = document.getElementById('status');

  /** Shows an outcome; `data-outcome` (done or failed) is what scripts and tests wait on. */
  const report = (outcome, text) => {
    status.textContent = text;
    if (outcome) status.dataset.outcome = outcome;
  };

  async function callGraphql(query, variables) {
    const response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const body = await response.json();
    if (body.errors && body.errors.length > 0) throw new Error(body.errors[0].message);
    return body.data;
  }

  /** Runs one step of a page, then drops the spent token from the address bar (and the history). */
  async function complete(work) {
    try {
      report(null, 'Working…');
      report('done', await work());
      window.history.replaceState(null, '', window.location.pathname);
    } catch (error) {
      report('failed', error instanceof Error ? error.message : String(error));
    }
  }

  const pages = {
    '/verify-email': () =>
      complete(async () => {
        const data = await callGraphql('mutation VerifyEmail($token: String!) { verifyEmail(token: $token) { email emailVerified } }', { token });
        return `Your email address ${data.verifyEmail.email} is verified.`;
      }),

    '/reset-password': () => {
      const form = document.getElementById('reset-password');
      form.hidden = false;
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        const newPassword = form.elements.namedItem('newPassword').value;
        return complete(async () => {
          await callGraphql('mutation ResetPassword($token: String!, $newPassword: String!) { resetPassword(token: $token, newPassword: $newPassword) }', {
            token,
            newPassword,
          });
          form.hidden = true;
          return 'Your password is changed, and every session of your account has ended: sign in with the new password.';
        });
      });
    },

    '/accept-invitation': () => {
      const acceptMutation = document.getElementById('accept-mutation');
      acceptMutation.textContent = `mutation {\n  acceptInvitation(token: ${JSON.stringify(token)}) {\n    accessToken refreshToken role account { name }\n  }\n}`;
      const decline = document.getElementById('decline-invitation');
      decline.hidden = false;
      decline.addEventListener('click', () =>
        complete(async () => {
          await callGraphql('mutation DeclineInvitation($token: String!) { declineInvitation(token: $token) }', { token });
          decline.hidden = true;
          acceptMutation.hidden = true;
          return 'You declined the invitation: its link no longer works.';
        }),
      );
    },
  };

  if (!token) {
    report('failed', 'This link has no token: open the whole link from the mail.');
    return;
  }
  pages[window.location.pathname]?.();
})();
